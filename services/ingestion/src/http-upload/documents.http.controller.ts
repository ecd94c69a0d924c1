/** `POST /v1/documents` → 202 `{ accepted: [{ documentId, externalId? }], count }`; errors in one JSON shape. */
import { Controller, HttpCode, Post, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { HttpUploadService } from './http-upload.service';
import { IngestionHttpErrorFilter } from './http-error.filter';

@Controller('v1/documents')
@UseFilters(IngestionHttpErrorFilter)
export class DocumentsHttpController {
  constructor(private readonly upload: HttpUploadService) {}

  @Post()
  @HttpCode(202)
  async create(@Req() request: Request, @Query() query: Record<string, unknown>) {
    const accepted = await this.upload.receive(request, query);
    return { accepted, count: accepted.length };
  }
}
