/** The tokenization stage as a Nest module; the host (service main or `crucible up`) provides the platform. */
import { type DynamicModule, Module } from '@nestjs/common';
import { AppendDocumentsService } from './append-documents/append-documents.service';
import { TOKENIZATION_GROUP, cleanedConsumerFor } from './append-documents/documents-cleaned.consumer';
import { AnnouncePendingService } from './seal-dataset/announce-pending.service';
import { DatasetsHttpController } from './seal-dataset/datasets.http.controller';
import { DatasetsService } from './seal-dataset/datasets.service';
import { sealRequestsConsumerFor } from './seal-dataset/seal-requests.consumer';
import { TOKENIZATION_OPTIONS, type TokenizationOptions } from './tokenization.options';

@Module({})
export class TokenizationModule {
  static forRoot(options: TokenizationOptions): DynamicModule {
    return {
      module: TokenizationModule,
      controllers: [
        cleanedConsumerFor(options.group ?? TOKENIZATION_GROUP),
        sealRequestsConsumerFor(options.group ?? TOKENIZATION_GROUP),
        DatasetsHttpController,
      ],
      providers: [{ provide: TOKENIZATION_OPTIONS, useValue: options }, DatasetsService, AppendDocumentsService, AnnouncePendingService],
      exports: [DatasetsService],
    };
  }
}
