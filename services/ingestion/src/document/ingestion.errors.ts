/**
 * Errors of the ingestion stage that the shared contracts have no code for yet. Like every
 * Crucible error they carry a literal `code` and `retriable`; the HTTP filter maps them to
 * 400 and 413, and the bus dead-letters them (non-retriable).
 */
import { DocumentTooLargeError, type Issue, describeIssues } from '@crucible/contracts';
import { type DocumentFailure, issuesOf } from './prepare-document';

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

/**
 * Some documents of a request failed validation, so none was accepted. `code` is
 * `document_too_large` when any failure is a size failure (HTTP 413), `invalid_document` otherwise (422).
 */
export class DocumentsRejectedError extends Error {
  readonly code: 'document_too_large' | 'invalid_document';
  readonly retriable = false;
  readonly issues: readonly Issue[];
  constructor(readonly failures: readonly DocumentFailure[]) {
    const issues = failures.flatMap(issuesOf);
    super(`${failures.length} document${failures.length === 1 ? '' : 's'} rejected; nothing was accepted: ${describeIssues(issues)}`.slice(0, 2_000));
    this.name = 'DocumentsRejectedError';
    this.issues = issues;
    this.code = failures.some((f) => f.error instanceof DocumentTooLargeError) ? 'document_too_large' : 'invalid_document';
  }
}
