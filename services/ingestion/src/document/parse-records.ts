/**
 * JSON and JSON Lines bodies (or files) to document candidates. A JSON body is one record or
 * an array of records; JSON Lines is one record per non-blank line. Syntax errors raise
 * `MalformedBodyError` with the position (JSON) or every bad line number (JSON Lines); records
 * of the wrong shape come back as failures with their paths, so a caller sees every problem at once.
 */
import { type Issue, ValidationError } from '@crucible/contracts';
import type { z } from 'zod';
import { type DocumentCandidate, type DocumentRecord, DocumentRecordSchema, type DocumentSource, type IssuePath } from './document-candidate';
import { MalformedBodyError } from './ingestion.errors';
import { parseJson } from './json-syntax';
import type { DocumentFailure } from './prepare-document';

export interface ParsedRecords {
  readonly candidates: DocumentCandidate[];
  readonly failures: DocumentFailure[];
}

export interface RecordDefaults {
  /** Source of every record; a record's own `name`/`uri` override the matching fields. */
  readonly source: DocumentSource;
  /** Merged under each record's own metadata. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function parseJsonRecords(text: string, defaults: RecordDefaults): ParsedRecords {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { offset, line, column } = parsed.position;
    throw new MalformedBodyError(`malformed JSON at position ${offset} (line ${line}, column ${column}): ${parsed.reason}`, [
      { path: [], message: `${parsed.reason} at position ${offset}` },
    ]);
  }
  if (Array.isArray(parsed.value)) {
    if (parsed.value.length === 0) throw emptyBatch();
    return collect(parsed.value.map((value, index) => [value, [index]] as const), defaults);
  }
  return collect([[parsed.value, []]], defaults);
}

export function parseJsonLines(text: string, defaults: RecordDefaults, lineBase: IssuePath = ['line']): ParsedRecords {
  const entries: (readonly [unknown, IssuePath])[] = [];
  const malformed: Issue[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const parsed = parseJson(line);
    const at = [...lineBase, index + 1];
    if (parsed.ok) entries.push([parsed.value, at]);
    else malformed.push({ path: at, message: `${parsed.reason} at column ${parsed.position.column}` });
  });
  if (malformed.length > 0) {
    const lineList = malformed.map((i) => i.path[i.path.length - 1]).join(', ');
    throw new MalformedBodyError(`malformed JSON on line${malformed.length > 1 ? 's' : ''} ${lineList}`, malformed);
  }
  if (entries.length === 0) throw emptyBatch();
  return collect(entries, defaults);
}

const emptyBatch = (): ValidationError =>
  new ValidationError('the body contains no documents', [{ path: [], message: 'expected at least one document' }], 'invalid_document');

function collect(entries: readonly (readonly [unknown, IssuePath])[], defaults: RecordDefaults): ParsedRecords {
  const candidates: DocumentCandidate[] = [];
  const failures: DocumentFailure[] = [];
  for (const [value, at] of entries) {
    const result = recordToCandidate(value, at, defaults);
    if ('error' in result) failures.push(result);
    else candidates.push(result);
  }
  return { candidates, failures };
}

/** One parsed JSON value as a candidate, or the failure that says what is wrong with its shape. */
export function recordToCandidate(value: unknown, at: IssuePath, defaults: RecordDefaults): DocumentCandidate | DocumentFailure {
  const record = DocumentRecordSchema.safeParse(value);
  return record.success ? candidateOf(record.data, at, defaults) : { at, error: recordError(record.error, at) };
}

function recordError(error: z.ZodError, at: IssuePath): ValidationError {
  const issues = error.issues.map((i) => ({
    path: [...at, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: i.code === 'unrecognized_keys' ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}` : i.message,
  }));
  return new ValidationError('invalid document record', issues, 'invalid_document');
}

function candidateOf(record: DocumentRecord, at: IssuePath, defaults: RecordDefaults): DocumentCandidate {
  const source: DocumentSource = {
    ...defaults.source,
    ...(record.uri !== undefined ? { uri: record.uri } : {}),
    ...(record.name !== undefined ? { name: record.name } : {}),
  };
  return {
    content: record.content,
    mediaType: record.mediaType,
    ...(record.externalId !== undefined ? { externalId: record.externalId } : {}),
    metadata: { ...defaults.metadata, ...record.metadata },
    source,
    at,
  };
}
