/** `GET /v1/cleaning/stats`: what every filter saw, kept and removed since start. */
import { Controller, Get } from '@nestjs/common';
import { CleanDocumentsService } from './clean-documents.service';

@Controller('v1/cleaning')
export class CleaningStatsController {
  constructor(private readonly service: CleanDocumentsService) {}

  @Get('stats')
  stats() {
    return { filters: this.service.stats.snapshot() };
  }
}
