/**
 * Errors of the ingestion stage that the shared contracts have no code for yet. Like every
 * Crucible error they carry a literal `code` and `retriable`; the HTTP filter maps them to
 * 400 and 413, and the bus dead-letters them (non-retriable).
 */
import { type Issue } from '@crucible/contracts';

/** The body is not what its media type says (broken JSON, a broken multipart stream). */
export class MalformedBodyError extends Error {
  readonly code = 'malformed_body' as const;
  readonly retriable = false;
  constructor(
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
    this.name = 'MalformedBodyError';
  }
}

/** The request body passed the configured byte limit; reading stopped there. */
export class RequestTooLargeError extends Error {
  readonly code = 'request_too_large' as const;
  readonly retriable = false;
  constructor(readonly limit: number) {
    super(`request body exceeds the limit of ${limit} bytes`);
    this.name = 'RequestTooLargeError';
  }
}
