export { TokenizationModule } from './tokenization.module';
export { TOKENIZATION_OPTIONS, type TokenizationOptions } from './tokenization.options';
export {
  TokenizationConfigSchema,
  parseTokenizationConfig,
  type TokenizationConfig,
  type TokenizationConfigInput,
} from './tokenization.config';
export { openTokenization, type OpenTokenizationInput } from './open-tokenization';
export { DatasetStore, type DatasetSummary, type VersionRecord } from './datasets/dataset-store';
export { DatasetError, DatasetNotFoundError, InvalidDatasetNameError, NothingToSealError, VersionNotFoundError } from './datasets/dataset.errors';
export { splitOf, type Split } from './datasets/dataset-split';
export { DatasetsService, type SealOutcome, type SealRequest } from './seal-dataset/datasets.service';
export type { SealProgress } from './seal-dataset/seal-progress';
export { TOKENIZATION_GROUP } from './append-documents/documents-cleaned.consumer';
export { sealRequestsGroupOf } from './seal-dataset/seal-requests.consumer';
export { TokenizationServiceConfigSchema, loadTokenizationServiceConfig } from './config';
