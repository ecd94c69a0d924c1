/** Payloads of the document topics: received → ingested → cleaned | rejected. */
import { z } from 'zod';

export const MediaTypeSchema = z.enum(['text/plain', 'text/html', 'text/markdown', 'application/json']);
export type MediaType = z.infer<typeof MediaTypeSchema>;

const Metadata = z.record(z.string(), z.unknown());

/** Where a document came from: enough to find it again and to cite it. */
export const DocumentSourceSchema = z
  .object({
    kind: z.enum(['kafka', 'http', 'file', 'cli']),
    uri: z.string().optional(),
    name: z.string().optional(),
  })
  .strict();

/** What applications (or kcat) produce: raw content plus optional metadata. */
export const DocumentReceivedSchema = z
  .object({
    content: z.string(),
    mediaType: MediaTypeSchema.default('text/plain'),
    /** Caller-supplied id; ingestion still derives the content-hash id from the content. */
    externalId: z.string().max(500).optional(),
    source: DocumentSourceSchema.optional(),
    metadata: Metadata.default({}),
  })
  .strict();
export type DocumentReceived = z.infer<typeof DocumentReceivedSchema>;

export const DocumentIngestedSchema = z
  .object({
    /** `sha256:` of the normalised content: the same text always gets the same id. */
    documentId: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    content: z.string(),
    mediaType: MediaTypeSchema,
    bytes: z.number().int().nonnegative(),
    externalId: z.string().optional(),
    source: DocumentSourceSchema,
    metadata: Metadata,
    receivedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type DocumentIngested = z.infer<typeof DocumentIngestedSchema>;

export const FilterCountsSchema = z.record(z.string(), z.number().int().nonnegative());

export const DocumentCleanedSchema = z
  .object({
    documentId: z.string(),
    text: z.string(),
    language: z.string(),
    languageScore: z.number().min(0).max(1),
    /** Number of PII spans replaced, by kind (email, phone, ip, card, secret). */
    redactions: FilterCountsSchema,
    source: DocumentSourceSchema,
    metadata: Metadata,
    chars: z.number().int().nonnegative(),
  })
  .strict();
export type DocumentCleaned = z.infer<typeof DocumentCleanedSchema>;

export const DocumentRejectedSchema = z
  .object({
    documentId: z.string(),
    /** The filter that removed the document, e.g. `gopher_quality`, `exact_dedup`. */
    filter: z.string(),
    reason: z.string(),
    details: z.record(z.string(), z.unknown()).default({}),
    /** The rejected text is kept for audit. */
    text: z.string(),
    source: DocumentSourceSchema,
  })
  .strict();
export type DocumentRejected = z.infer<typeof DocumentRejectedSchema>;
