/** Typed errors of the curation library: a literal `code` and whether a retry can help. */
export type CurationErrorCode = 'invalid_config' | 'dedup_index_io' | 'dedup_index_format';

export class CurationError extends Error {
  override readonly name = 'CurationError';
  constructor(
    readonly code: CurationErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The config did not parse; `issues` lists every problem (zod paths joined with dots). */
export class CleaningConfigError extends CurationError {
  constructor(readonly issues: readonly string[]) {
    super('invalid_config', `invalid cleaning config: ${issues.join('; ')}`, false);
  }
}

/** The persisted dedup index could not be read or written. */
export class DedupIndexError extends CurationError {
  constructor(code: 'dedup_index_io' | 'dedup_index_format', message: string, retriable: boolean, cause?: unknown) {
    super(code, message, retriable, { cause });
  }
}
