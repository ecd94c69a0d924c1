/**
 * A document as a way in hands it over: decoded text plus what the caller said about it,
 * before validation. `at` locates it in its request or file, so a rejection can point at it:
 * `[2]` (third element of a JSON array), `['line', 7]` (NDJSON), `['files', 0]` (multipart).
 */
import { type DocumentIngested, MediaTypeSchema } from '@crucible/contracts';
import { z } from 'zod';

export type DocumentSource = DocumentIngested['source'];
export type IssuePath = readonly (string | number)[];

export interface DocumentCandidate {
  readonly content: string;
  readonly mediaType: DocumentIngested['mediaType'];
  readonly externalId?: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly source: DocumentSource;
  readonly at: IssuePath;
}

/**
 * One record of a JSON or JSON Lines body or file. Unknown fields are rejected (a typo such as
 * `contnet` should fail loudly, not ingest an empty document). `text` is accepted for `content`
 * because the common corpus formats (Dolma, FineWeb, datatrove) name the field so.
 */
export const DocumentRecordSchema = z.preprocess(
  (value) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && 'text' in value && !('content' in value)) {
      const { text, ...rest } = value as Record<string, unknown>;
      return { content: text, ...rest };
    }
    return value;
  },
  z
    .object({
      content: z.string({ error: (i) => (i.input === undefined ? 'required' : 'expected a string') }),
      mediaType: MediaTypeSchema.default('text/plain'),
      externalId: z.string().min(1).max(500).optional(),
      /** A human-readable name of the document (a title or file name): kept in `source.name`. */
      name: z.string().max(1_000).optional(),
      /** Where the document lives (a URL): kept in `source.uri`. */
      uri: z.string().max(4_000).optional(),
      metadata: z.record(z.string(), z.unknown()).default({}),
    })
    .strict(),
);
export type DocumentRecord = z.output<typeof DocumentRecordSchema>;
