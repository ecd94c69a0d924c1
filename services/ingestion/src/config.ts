/**
 * Configuration of the standalone ingestion service: the shared base (bus, HTTP, logs) plus
 * the size limits. The only file that reads `process.env`; boot fails listing every problem.
 */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';
import { DEFAULT_LIMITS, type IngestionLimits } from './document/ingestion-limits';
import { INGESTION_GROUP } from './ingest-documents/ingestion.options';

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const IngestionConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** See IngestionLimits.maxDocumentBytes for the reason behind the default. */
    INGESTION_MAX_DOCUMENT_BYTES: bytes(DEFAULT_LIMITS.maxDocumentBytes),
    INGESTION_MAX_REQUEST_BYTES: bytes(DEFAULT_LIMITS.maxRequestBytes),
    /** Consumer group of documents.received; every replica of one deployment shares it. */
    INGESTION_CONSUMER_GROUP: z.string().min(1).default(INGESTION_GROUP),
  }),
).superRefine((config, ctx) => {
  if (config.INGESTION_MAX_REQUEST_BYTES < config.INGESTION_MAX_DOCUMENT_BYTES) {
    ctx.addIssue({ code: 'custom', path: ['INGESTION_MAX_REQUEST_BYTES'], message: 'must be at least INGESTION_MAX_DOCUMENT_BYTES, or a document of the maximum size could never be uploaded' });
  }
});
export type IngestionConfig = z.output<typeof IngestionConfigSchema>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): IngestionConfig => parseConfig(IngestionConfigSchema, env);

export const limitsOf = (config: IngestionConfig): IngestionLimits => ({
  maxDocumentBytes: config.INGESTION_MAX_DOCUMENT_BYTES,
  maxRequestBytes: config.INGESTION_MAX_REQUEST_BYTES,
});
