/**
 * One human-readable line per trainer progress report, for CLIs that log to stderr:
 * `trainBpe(src, { onProgress: (p) => process.stderr.write(formatTrainProgress(p) + '\n') })`.
 */
import type { TrainProgress } from './bpe-trainer';

export function formatTrainProgress(progress: TrainProgress): string {
  if (progress.phase === 'count') {
    const s = progress.stats;
    const pruned = s.prunes > 0 ? `, ${s.prunes} prunes (counts low by ≤ ${s.maxUndercount})` : '';
    return `bpe: counted ${(s.bytes / 1e6).toFixed(1)} MB, ${s.preTokens} pre-tokens, ${s.distinct} distinct${pruned}`;
  }
  return `bpe: ${progress.merges} merges, vocabulary ${progress.vocab}/${progress.target}, last merged pair seen ${progress.lastCount} times`;
}
