/**
 * The dedup index: what was kept so far, by content hash (exact duplicates) and by LSH band
 * keys (near duplicates). `checkAndAdd` is one atomic step so that a concurrent caller
 * cannot slip a duplicate in between the check and the insert.
 *
 * Idempotence: entries are keyed by document id, and an entry never matches itself, so an
 * at-least-once redelivery of a kept document is kept again (and not re-inserted).
 */

export interface DedupEntry {
  readonly id: string;
  /** Hash of the normalised text (exact dedup). */
  readonly contentHash: string;
  /** MinHash signature; `null` when the text has no words to shingle (exact dedup only). */
  readonly signature: Uint32Array | null;
  /** One key per LSH band (empty when `signature` is null). */
  readonly bandKeys: readonly number[];
}

export type DedupMatch =
  | { readonly kind: 'exact'; readonly duplicateOf: string }
  | { readonly kind: 'near'; readonly duplicateOf: string; readonly similarity: number };

export interface DedupCheck {
  /** Also look for near duplicates (else exact only). */
  readonly near: boolean;
  /** A band collision counts only when the signatures agree on at least this share of positions. */
  readonly minSimilarity: number;
}

export interface DedupIndex {
  /** Returns the earlier document this entry duplicates, or null after adding it to the index. */
  checkAndAdd(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null>;
  /** Looks up without adding. */
  find(entry: DedupEntry, check: DedupCheck): Promise<DedupMatch | null>;
  has(id: string): Promise<boolean>;
  size(): Promise<number>;
  close(): Promise<void>;
}
