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

/** One row's unnormalised probabilities, reused between calls (sampling runs one row at a time). */
let scratch = new Float64Array(0);

export function sampleToken(row: Float32Array, options: SamplingOptions, rng: Rng): number {
  const temperature = options.temperature ?? 1;
  if (temperature <= 0) return argmax(row);
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  const n = row.length;
  const max = row[argmax(row)]!;
  if (scratch.length < n) scratch = new Float64Array(n);
  const weights = scratch;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i] = Math.exp((row[i]! - max) / temperature);
  if (topK <= 0 && topP >= 1) return pick(rng.next() * total, n, (k) => k, weights);

  // Only the most likely tokens can be in the top k or the nucleus: collect those above a
  // threshold that already holds k tokens / p of the mass, and sort just them (a decode step
  // samples one row per request; sorting the whole vocabulary per row would dominate it).
  let ids: number[] = [];
  for (let gap = 0.125; ; gap *= 2) {
    const threshold = Math.exp(-gap);
    ids = [];
    let mass = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i]! >= threshold) {
        ids.push(i);
        mass += weights[i]!;
      }
    }
    if (ids.length === n || (topK > 0 ? ids.length >= topK : mass >= topP * total)) break;
  }
  ids.sort((a, b) => row[b]! - row[a]! || a - b);
  if (topK > 0) ids = ids.slice(0, topK);
  let kept = 0;
  for (const i of ids) kept += weights[i]!;
  if (topP < 1) {
    // The nucleus is p of the mass of the top k, or of the whole vocabulary without top-k.
    const of = topK > 0 ? kept : total;
    let cum = 0;
    let keep = 0;
    while (keep < ids.length && cum < topP * of) cum += weights[ids[keep++]!]!;
    ids = ids.slice(0, Math.max(1, keep));
    kept = 0;
    for (const i of ids) kept += weights[i]!;
  }
  return pick(rng.next() * kept, ids.length, (k) => ids[k]!, weights);
}

/** The token where the running sum of weights (in the given order) passes r. */
function pick(r: number, count: number, id: (k: number) => number, weights: Float64Array): number {
  for (let k = 0; k < count; k++) {
    r -= weights[id(k)]!;
    if (r < 0) return id(k);
  }
  return id(count - 1);
}
