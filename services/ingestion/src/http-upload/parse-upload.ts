/**
 * `POST /v1/documents` bodies to document candidates, by Content-Type:
 * - application/json: one record `{content, mediaType?, metadata?, externalId?, name?, uri?}` or an array;
 * - application/x-ndjson, application/jsonl (and aliases): one record per line;
 * - text/plain, text/html, text/markdown: the body is one document; `name`, `uri` and
 *   `externalId` may come from the query string;
 * - multipart/form-data: one document per file part, its media type from the part's type or
 *   the file extension.
 * Other query parameters become metadata of every document of the request.
 */
import { UnsupportedMediaTypeError, ValidationError } from '@crucible/contracts';
import type { DocumentCandidate } from '../document/document-candidate';
import { decodeText } from '../document/decode-text';
import { type ContentType, documentTypeOf, parseContentType, resolveFileMediaType } from '../document/media-type';
import { type ParsedRecords, parseJsonLines, parseJsonRecords } from '../document/parse-records';
import type { DocumentFailure } from '../document/prepare-document';
import { parseMultipart } from './parse-multipart';

export type Query = Readonly<Record<string, unknown>>;

type BodyKind = 'json' | 'json-lines' | 'text' | 'multipart';

const BODY_KINDS: Readonly<Record<string, BodyKind>> = {
  'application/json': 'json',
  'application/x-ndjson': 'json-lines',
  'application/ndjson': 'json-lines',
  'application/jsonl': 'json-lines',
  'application/x-jsonlines': 'json-lines',
  'application/jsonlines': 'json-lines',
  'multipart/form-data': 'multipart',
};

export const SUPPORTED_BODY_TYPES = [...Object.keys(BODY_KINDS), 'text/plain', 'text/html', 'text/markdown'] as const;

/** Parameters that describe the single document of a text body rather than every document. */
const SINGLE_DOCUMENT_PARAMS = ['name', 'uri', 'externalId'] as const;

/** Checks the Content-Type before the body is read, so an unsupported upload costs nothing. */
export function classifyBody(header: string | undefined): { kind: BodyKind; contentType: ContentType } {
  const contentType = parseContentType(header);
  if (!contentType?.essence) throw new UnsupportedMediaTypeError(`(no Content-Type); send one of ${SUPPORTED_BODY_TYPES.join(', ')}`);
  const kind = BODY_KINDS[contentType.essence] ?? (documentTypeOf(contentType.essence) && contentType.essence !== 'application/json' ? 'text' : undefined);
  if (!kind) throw new UnsupportedMediaTypeError(`${contentType.essence}; send one of ${SUPPORTED_BODY_TYPES.join(', ')}`);
  return { kind, contentType };
}

export async function parseUpload(header: string, body: Buffer, query: Query): Promise<ParsedRecords> {
  const { kind, contentType } = classifyBody(header);
  const { single, metadata } = splitQuery(query, kind);
  const source = { kind: 'http' as const };
  const charset = contentType.params.charset;
  switch (kind) {
    case 'json':
      return parseJsonRecords(decodeText(body, charset).text, { source, metadata });
    case 'json-lines':
      return parseJsonLines(decodeText(body, charset).text, { source, metadata });
    case 'text':
      return {
        candidates: [
          {
            content: decodeText(body, charset, ['body']).text,
            mediaType: documentTypeOf(contentType.essence)!,
            ...(single.externalId !== undefined ? { externalId: single.externalId } : {}),
            metadata,
            source: { ...source, ...(single.name !== undefined ? { name: single.name } : {}), ...(single.uri !== undefined ? { uri: single.uri } : {}) },
            at: [],
          },
        ],
        failures: [],
      };
    case 'multipart':
      return multipartRecords(body, header, metadata);
  }
}

async function multipartRecords(body: Buffer, header: string, queryMetadata: Record<string, unknown>): Promise<ParsedRecords> {
  const { files, fields } = await parseMultipart(body, header);
  if (files.length === 0) {
    throw new ValidationError('the form has no file parts', [{ path: ['files'], message: 'expected at least one file' }], 'invalid_document');
  }
  const metadata = { ...queryMetadata, ...fields };
  const candidates: DocumentCandidate[] = [];
  const failures: DocumentFailure[] = [];
  files.forEach((file, index) => {
    const at = ['files', index];
    // An unsupported part type refuses the whole request (415), like an unsupported body type.
    const mediaType = resolveFileMediaType(file.mimeType, file.filename);
    try {
      candidates.push({
        content: decodeText(file.data, undefined, [...at, 'content']).text,
        mediaType,
        metadata: { ...metadata, field: file.field },
        source: { kind: 'http', ...(file.filename ? { name: file.filename } : {}) },
        at,
      });
    } catch (error) {
      if (error instanceof ValidationError) failures.push({ at, error });
      else throw error;
    }
  });
  return { candidates, failures };
}

function splitQuery(query: Query, kind: BodyKind): { single: Partial<Record<(typeof SINGLE_DOCUMENT_PARAMS)[number], string>>; metadata: Record<string, unknown> } {
  const single: Partial<Record<(typeof SINGLE_DOCUMENT_PARAMS)[number], string>> = {};
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if ((SINGLE_DOCUMENT_PARAMS as readonly string[]).includes(name)) {
      if (kind !== 'text') {
        throw new ValidationError(`query parameter '${name}' describes a single document; with ${kind} bodies put it in each record`, [
          { path: ['query', name], message: 'only allowed with text/plain, text/html or text/markdown bodies' },
        ], 'invalid_document');
      }
      if (typeof value !== 'string' || value.length === 0 || (name === 'externalId' && value.length > 500)) {
        throw new ValidationError(`query parameter '${name}' must be given once, non-empty${name === 'externalId' ? ', at most 500 characters' : ''}`, [
          { path: ['query', name], message: 'invalid value' },
        ], 'invalid_document');
      }
      single[name as (typeof SINGLE_DOCUMENT_PARAMS)[number]] = value;
    } else metadata[name] = value;
  }
  return { single, metadata };
}
