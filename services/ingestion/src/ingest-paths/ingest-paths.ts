/**
 * Way in (c): files and folders, for the `crucible ingest` CLI and `crucible up`. Unlike an
 * HTTP request, a folder is not all-or-nothing: every valid document is published, every
 * invalid one is reported with its file (and line) and the reason.
 *
 * What a file becomes, by extension:
 * - .txt, .md, .html, .htm: one document (text/plain, text/markdown, text/html);
 * - .jsonl: one record per line, the same record shape as the HTTP API
 *   (`{content | text, mediaType?, metadata?, externalId?, name?, uri?}`), streamed;
 * - .json: a record or an array of records, as an `application/json` request body.
 * Encoding as everywhere: BOM, else strict UTF-8.
 *
 * @example
 *   const result = await ingestPaths(['corpus/'], bus, { onProgress: (done, total) => log(`${done}/${total}`) });
 *   // { accepted: 1234, rejected: [{ path: 'corpus/x.jsonl:17', reason: 'content: must not be empty…' }], skipped: [] }
 */
import type { EventBus } from '@crucible/bus';
import { DocumentTooLargeError, type DocumentIngested, describeIssues, ValidationError } from '@crucible/contracts';
import type { Metrics } from '@crucible/service-kit';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentCandidate, DocumentSource } from '../document/document-candidate';
import { decodeText } from '../document/decode-text';
import { MalformedBodyError } from '../document/ingestion.errors';
import { DEFAULT_LIMITS, type IngestionLimits } from '../document/ingestion-limits';
import { documentTypeOfFile } from '../document/media-type';
import { parseJsonRecords, recordToCandidate } from '../document/parse-records';
import { type DocumentFailure, issuesOf, prepareDocument } from '../document/prepare-document';
import { parseJson } from '../document/json-syntax';
import { IngestService } from '../ingest-documents/ingest.service';
import { readLines } from './read-lines';
import { walkPaths } from './walk-paths';

export interface IngestProgress {
  readonly file: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly accepted: number;
  readonly rejected: number;
}

export interface IngestPathsOptions {
  readonly limits?: Partial<IngestionLimits>;
  /** Merged under every document's own metadata, e.g. `{ dataset: 'sotu' }`. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `source.kind` of the documents: `file` (default) or `cli`. */
  readonly sourceKind?: 'file' | 'cli';
  /** Called after each file: files done, files in total, and running counts. */
  readonly onProgress?: (filesDone: number, filesTotal: number, progress: IngestProgress) => void;
  /** Counts into `crucible_ingestion_documents_total{via="file"}` when given. */
  readonly metrics?: Metrics;
  /** Documents per publish call. Default 500: one SQLite transaction / produce request each. */
  readonly batchSize?: number;
}

export interface IngestPathsResult {
  readonly accepted: number;
  /** `path` is the file, `file:line` for JSON Lines records, or `file[3]` for JSON array elements. */
  readonly rejected: { path: string; reason: string }[];
  /** Files inside the given folders with extensions ingestion does not read. */
  readonly skipped: string[];
}

export async function ingestPaths(paths: readonly string[], bus: EventBus, options: IngestPathsOptions = {}): Promise<IngestPathsResult> {
  const limits: IngestionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const service = new IngestService(bus, { limits }, options.metrics);
  const { files, skipped, refused } = await walkPaths(paths);
  const rejected = [...refused];
  let accepted = 0;
  let pending: DocumentIngested[] = [];
  const batchSize = options.batchSize ?? 500;
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    accepted += (await service.publish(batch, 'file')).length;
  };
  const receivedAt = new Date();
  const take = async (candidate: DocumentCandidate, where: string) => {
    try {
      pending.push(prepareDocument(candidate, limits, receivedAt));
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof DocumentTooLargeError)) throw error;
      refuse(where, { at: [], error });
    }
    if (pending.length >= batchSize) await flush();
  };
  const refuse = (where: string, failure: DocumentFailure | { reason: string }) => {
    rejected.push({ path: where, reason: 'reason' in failure ? failure.reason : describeIssues(issuesOf(failure)) });
    service.countRejected('file', 1);
  };

  for (const [index, file] of files.entries()) {
    const source: DocumentSource = { kind: options.sourceKind ?? 'file', uri: pathToFileURL(file).href, name: basename(file) };
    const defaults = { source, metadata: options.metadata ?? {} };
    const extension = extname(file).toLowerCase();
    try {
      if (extension === '.jsonl') {
        for await (const { number, bytes } of readLines(file)) {
          const where = `${file}:${number}`;
          const text = decodeLine(bytes, where, refuse);
          if (text === undefined || text.trim() === '') continue;
          const parsed = parseJson(text);
          if (!parsed.ok) {
            refuse(where, { reason: `malformed JSON at column ${parsed.position.column}: ${parsed.reason}` });
            continue;
          }
          const candidate = recordToCandidate(parsed.value, [], { ...defaults, source: { ...source, uri: `${source.uri}#L${number}` } });
          if ('error' in candidate) refuse(where, candidate);
          else await take(candidate, where);
        }
      } else if (extension === '.json') {
        const size = (await stat(file)).size;
        if (size > limits.maxRequestBytes) throw new ValidationError(`file is ${size} bytes; .json files are read whole and limited to ${limits.maxRequestBytes} bytes (use .jsonl)`);
        const { candidates, failures } = parseJsonRecords(decodeText(await readFile(file)).text, defaults);
        for (const failure of failures) refuse(`${file}${failure.at.length > 0 ? `[${failure.at[0]}]` : ''}`, failure);
        for (const candidate of candidates) await take(candidate, `${file}${candidate.at.length > 0 ? `[${candidate.at[0]}]` : ''}`);
      } else {
        await take({ content: await readDocumentFile(file, limits), mediaType: documentTypeOfFile(file)!, metadata: defaults.metadata, source, at: [] }, file);
      }
    } catch (error) {
      // A bad file is reported and the walk goes on; a bus failure stops it (nothing is lost: rerun).
      if (!isFileProblem(error)) throw error;
      refuse(file, { reason: error.message });
    }
    await flush();
    options.onProgress?.(index + 1, files.length, { file, filesDone: index + 1, filesTotal: files.length, accepted, rejected: rejected.length });
  }
  await flush();
  return { accepted, rejected, skipped };
}

/**
 * A single-document file, decoded. Its UTF-16 form is at most twice its UTF-8 size (plus a BOM),
 * so a file beyond that cannot fit the limit and is refused without being read.
 */
async function readDocumentFile(file: string, limits: IngestionLimits): Promise<string> {
  const size = (await stat(file)).size;
  if (size > 2 * limits.maxDocumentBytes + 2) throw new DocumentTooLargeError(size, limits.maxDocumentBytes);
  const handle = await open(file);
  try {
    return decodeText(await handle.readFile()).text;
  } finally {
    await handle.close();
  }
}

function decodeLine(bytes: Buffer, where: string, refuse: (where: string, failure: { reason: string }) => void): string | undefined {
  try {
    return decodeText(bytes).text;
  } catch (error) {
    refuse(where, { reason: (error as Error).message });
    return undefined;
  }
}

const isFileProblem = (error: unknown): error is Error =>
  error instanceof ValidationError ||
  error instanceof DocumentTooLargeError ||
  error instanceof MalformedBodyError ||
  (error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string');
