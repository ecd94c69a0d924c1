/** Typed failures of the tokenization stage; `retriable` tells the bus whether a retry can help. */
export type DatasetErrorCode = 'invalid_dataset_name' | 'dataset_not_found' | 'version_not_found' | 'invalid_version' | 'nothing_to_seal' | 'dataset_store_io' | 'seal_failed';

export class DatasetError extends Error {
  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatasetError';
  }
}

export class InvalidDatasetNameError extends DatasetError {
  constructor(readonly dataset: string) {
    super('invalid_dataset_name', `dataset name '${dataset.slice(0, 120)}' must be 1–100 of [A-Za-z0-9._-] and not start with '.' or '-'`, false);
  }
}

export class DatasetNotFoundError extends DatasetError {
  constructor(readonly dataset: string) {
    super('dataset_not_found', `dataset '${dataset}' has no documents`, false);
  }
}

export class VersionNotFoundError extends DatasetError {
  constructor(
    readonly dataset: string,
    readonly version: number,
  ) {
    super('version_not_found', `dataset '${dataset}' has no sealed version ${version}`, false);
  }
}

/** A seal of a dataset whose documents are all in its latest version already: a new version would be a copy. */
export class NothingToSealError extends DatasetError {
  constructor(readonly dataset: string) {
    super('nothing_to_seal', `dataset '${dataset}' has no documents since its last sealed version`, false);
  }
}

export class InvalidVersionError extends DatasetError {
  constructor(readonly raw: string) {
    super('invalid_version', `version '${raw.slice(0, 40)}' is not a positive integer`, false);
  }
}
