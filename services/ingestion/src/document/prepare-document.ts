/**
 * Validation and normalisation of one document, pure: a candidate in, the `documents.ingested`
 * payload out, or a typed error saying precisely why not. Normalisation here is only what
 * makes the id stable and the bytes honest (a leading BOM dropped, no unpaired surrogates);
 * Unicode NFC and whitespace belong to the cleaning stage.
 */
import { type DocumentIngested, DocumentTooLargeError, type Issue, ValidationError } from '@crucible/contracts';
import type { DocumentCandidate, IssuePath } from './document-candidate';
import { documentIdOf } from './document-id';
import type { IngestionLimits } from './ingestion-limits';

const BOM = '\uFEFF';
// With the `u` flag a valid pair is one code point, so only unpaired surrogates match.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a candidate was refused, with where it sat in its request or file. */
export interface DocumentFailure {
  readonly at: IssuePath;
  readonly error: ValidationError | DocumentTooLargeError;
}

export function prepareDocument(candidate: DocumentCandidate, limits: IngestionLimits, receivedAt: Date): DocumentIngested {
  const content = candidate.content.startsWith(BOM) ? candidate.content.slice(1) : candidate.content;
  const path = [...candidate.at, 'content'];
  const index = content.search(LONE_SURROGATE);
  if (index >= 0) {
    throw new ValidationError(`content has an unpaired UTF-16 surrogate at index ${index}; it cannot be encoded as UTF-8`, [
      { path, message: `unpaired surrogate at index ${index}` },
    ], 'invalid_document');
  }
  if (content.trim().length === 0) {
    throw new ValidationError('content is empty (only whitespace)', [{ path, message: 'must not be empty after trimming whitespace' }], 'invalid_document');
  }
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > limits.maxDocumentBytes) throw new DocumentTooLargeError(bytes, limits.maxDocumentBytes);
  return {
    documentId: documentIdOf(content),
    content,
    mediaType: candidate.mediaType,
    bytes,
    ...(candidate.externalId !== undefined ? { externalId: candidate.externalId } : {}),
    source: candidate.source,
    metadata: { ...candidate.metadata },
    receivedAt: receivedAt.toISOString(),
  };
}

/** Every candidate prepared, or every failure listed: a batch is accepted whole or not at all. */
export function prepareAll(
  candidates: readonly DocumentCandidate[],
  limits: IngestionLimits,
  receivedAt: Date,
): { documents: DocumentIngested[]; failures: DocumentFailure[] } {
  const documents: DocumentIngested[] = [];
  const failures: DocumentFailure[] = [];
  for (const candidate of candidates) {
    try {
      documents.push(prepareDocument(candidate, limits, receivedAt));
    } catch (error) {
      if (error instanceof ValidationError || error instanceof DocumentTooLargeError) failures.push({ at: candidate.at, error });
      else throw error;
    }
  }
  return { documents, failures };
}

/** A failure as issues with paths, the shape HTTP errors and CLI reports use. */
export function issuesOf(failure: DocumentFailure): Issue[] {
  const { error, at } = failure;
  if (error instanceof DocumentTooLargeError) return [{ path: [...at, 'content'], message: error.message }];
  return error.issues.length > 0 ? [...error.issues] : [{ path: [...at], message: error.message }];
}
