/** What the cleaning module needs from its host: filter thresholds and the dedup index. */
import type { CleaningConfig, DedupIndex } from '@crucible/curation';

export const CLEANING_OPTIONS = Symbol('crucible.cleaning.options');

export interface CleaningOptions {
  readonly config: CleaningConfig;
  readonly dedupIndex: DedupIndex;
}
