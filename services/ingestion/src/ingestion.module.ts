/**
 * The ingestion stage as a Nest module: the bus consumer, the HTTP API and the service behind
 * both. It expects the platform (bus, logger, metrics) to be provided globally by the
 * composition root: `main.ts` for the standalone service, `crucible up` for the all-in-one app.
 *
 * @example
 *   imports: [PlatformModule.forRoot({ config, logger, bus, metrics }), IngestionModule]            // defaults
 *   imports: [PlatformModule.forRoot({ config, logger, bus, metrics }), IngestionModule.register({ limits, group })]
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { DocumentsReceivedConsumer, receivedConsumerFor } from './consume-received/documents-received.consumer';
import { DEFAULT_LIMITS, type IngestionLimits } from './document/ingestion-limits';
import { DocumentsHttpController } from './http-upload/documents.http.controller';
import { IngestionHttpErrorFilter } from './http-upload/http-error.filter';
import { HttpUploadService } from './http-upload/http-upload.service';
import { IngestService } from './ingest-documents/ingest.service';
import { INGESTION_GROUP, INGESTION_OPTIONS, type IngestionOptions } from './ingest-documents/ingestion.options';

const providers = [IngestService, HttpUploadService, IngestionHttpErrorFilter];

export interface IngestionModuleOptions {
  readonly limits?: Partial<IngestionLimits>;
  /** Consumer group of `documents.received`; default `ingestion`. */
  readonly group?: string;
}

@Module({ controllers: [DocumentsHttpController, DocumentsReceivedConsumer], providers, exports: [IngestService] })
export class IngestionModule {
  /** The module with explicit limits and consumer group; importing `IngestionModule` itself uses the defaults. */
  static register(options: IngestionModuleOptions = {}): DynamicModule {
    const resolved: IngestionOptions = { limits: { ...DEFAULT_LIMITS, ...options.limits } };
    return {
      // A separate class: the static metadata above would otherwise add the default consumer too.
      module: ConfiguredIngestionModule,
      controllers: [DocumentsHttpController, receivedConsumerFor(options.group ?? INGESTION_GROUP)],
      providers: [...providers, { provide: INGESTION_OPTIONS, useValue: resolved }],
      exports: [IngestService],
    };
  }
}

@Module({})
class ConfiguredIngestionModule {}
