/** Progress of a seal in flight: tokenizer training (counting, merging), then encoding. */
import type { TrainProgress } from '@crucible/tokenizer';
import type { EncodeProgress } from '../seal/write-version';

export type SealProgress = { readonly dataset: string; readonly datasetId: string } & (
  | { readonly phase: 'train'; readonly train: TrainProgress }
  | ({ readonly phase: 'encode' } & EncodeProgress)
);

/** One log-friendly object per progress report (no document text, counts only). */
export function describeProgress(progress: SealProgress): Record<string, unknown> {
  const base = { dataset: progress.dataset, datasetId: progress.datasetId, phase: progress.phase };
  if (progress.phase === 'encode') return { ...base, documents: progress.documents, totalDocuments: progress.totalDocuments, tokens: progress.tokens };
  const train = progress.train;
  if (train.phase === 'count') return { ...base, step: 'count', ...train.stats };
  return { ...base, step: 'merge', merges: train.merges, vocab: train.vocab, target: train.target, lastCount: train.lastCount };
}
