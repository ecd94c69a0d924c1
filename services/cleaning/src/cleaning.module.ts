/** The cleaning stage as a Nest module; the host (service main or `crucible up`) provides the platform. */
import { type DynamicModule, Module } from '@nestjs/common';
import { CleanDocumentsConsumer } from './clean-documents/clean-documents.consumer';
import { CleanDocumentsService } from './clean-documents/clean-documents.service';
import { CleaningStatsController } from './clean-documents/cleaning-stats.http.controller';
import { CLEANING_OPTIONS, type CleaningOptions } from './cleaning.options';

@Module({})
export class CleaningModule {
  static forRoot(options: CleaningOptions): DynamicModule {
    return {
      module: CleaningModule,
      controllers: [CleanDocumentsConsumer, CleaningStatsController],
      providers: [{ provide: CLEANING_OPTIONS, useValue: options }, CleanDocumentsService],
      exports: [CleanDocumentsService],
    };
  }
}
