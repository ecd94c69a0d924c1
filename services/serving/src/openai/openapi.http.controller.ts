/** `GET /openapi.json`: the API as OpenAPI 3.1, generated from the validating schemas. */
import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from './openapi';

@Controller()
export class OpenApiHttpController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  get() {
    return this.document;
  }
}
