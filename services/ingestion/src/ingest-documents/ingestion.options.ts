/** What the ingestion module is configured with; the composition root provides it (or the defaults apply). */
import type { IngestionLimits } from '../document/ingestion-limits';

export const INGESTION_OPTIONS = Symbol('crucible.ingestion.options');

export interface IngestionOptions {
  readonly limits: IngestionLimits;
}

/** `source` stamped on every event this stage creates. */
export const INGESTION_SOURCE = 'crucible/ingestion';
/** Consumer group of `documents.received`: every ingestion replica shares it. */
export const INGESTION_GROUP = 'ingestion';
