/**
 * The ingestion stage as a Nest module: the bus consumer, the HTTP API and the service behind
 * both. It expects the platform (bus, logger, metrics) to be provided globally by the
 * composition root: `main.ts` for the standalone service, `crucible up` for the all-in-one app.
 *
 * @example
 *   imports: [PlatformModule.forRoot({ config, logger, bus, metrics }), IngestionModule.register({ limits })]
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_LIMITS, type IngestionLimits } from './document/ingestion-limits';
import { DocumentsReceivedConsumer } from './consume-received/documents-received.consumer';
import { DocumentsHttpController } from './http-upload/documents.http.controller';
import { IngestionHttpErrorFilter } from './http-upload/http-error.filter';
import { HttpUploadService } from './http-upload/http-upload.service';
import { IngestService } from './ingest-documents/ingest.service';
import { INGESTION_OPTIONS, type IngestionOptions } from './ingest-documents/ingestion.options';

@Module({
  controllers: [DocumentsHttpController, DocumentsReceivedConsumer],
  providers: [IngestService, HttpUploadService, IngestionHttpErrorFilter],
  exports: [IngestService],
})
export class IngestionModule {
  /** The module with explicit limits; importing `IngestionModule` itself uses `DEFAULT_LIMITS`. */
  static register(options: { limits?: Partial<IngestionLimits> } = {}): DynamicModule {
    const resolved: IngestionOptions = { limits: { ...DEFAULT_LIMITS, ...options.limits } };
    return { module: IngestionModule, providers: [{ provide: INGESTION_OPTIONS, useValue: resolved }] };
  }
}
