/**
 * Next-token choice from one row of logits: greedy (temperature 0), or temperature
 * sampling restricted by top-k and nucleus (top-p), driven by a seeded RNG.
 */
import type { Rng } from '../train/rng';

export interface SamplingOptions {
  /** 0 = greedy. */
  readonly temperature?: number;
  /** Keep only the k most likely tokens (0 = all). */
  readonly topK?: number;
  /** Keep the smallest set whose probability reaches p (1 = all). */
  readonly topP?: number;
}

export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

export function sampleToken(row: Float32Array, options: SamplingOptions, rng: Rng): number {
  const temperature = options.temperature ?? 1;
  if (temperature <= 0) return argmax(row);
  let ids = Array.from(row.keys());
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  if (topK > 0 || topP < 1) ids.sort((a, b) => row[b]! - row[a]! || a - b);
  if (topK > 0) ids = ids.slice(0, topK);
  const max = ids.reduce((m, i) => Math.max(m, row[i]!), -Infinity);
  let probs = ids.map((i) => Math.exp((row[i]! - max) / temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if (topP < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < topP * total) cum += probs[keep++]!;
    ids = ids.slice(0, Math.max(1, keep));
    probs = probs.slice(0, Math.max(1, keep));
    total = probs.reduce((a, b) => a + b, 0);
  }
  let r = rng.next() * total;
  for (let k = 0; k < ids.length; k++) {
    r -= probs[k]!;
    if (r < 0) return ids[k]!;
  }
  return ids[ids.length - 1]!;
}
