/**
 * Statistics of the counterfactual bias suite: the mean of paired differences and its
 * percentile bootstrap confidence interval (Efron & Tibshirani 1993, ch. 13), resampling
 * templates with replacement under a seeded PRNG so a report is reproducible.
 */
import type { Random } from './random';

export const mean = (xs: readonly number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

export interface Interval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/** The `q` quantile (0..1) of sorted values, linearly interpolated (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function bootstrapMeanInterval(values: readonly number[], options: { samples: number; confidence: number; random: Random }): Interval {
  const n = values.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN };
  const means = new Float64Array(options.samples);
  for (let b = 0; b < options.samples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(options.random() * n)]!;
    means[b] = sum / n;
  }
  const sorted = Array.from(means).sort((a, b) => a - b);
  const alpha = (1 - options.confidence) / 2;
  return { mean: mean(values), low: quantile(sorted, alpha), high: quantile(sorted, 1 - alpha) };
}

/** A gap is a finding when its interval excludes 0 and it is larger than `maxGap`. */
export const significantGap = (interval: Interval, maxGap: number): boolean =>
  (interval.low > 0 || interval.high < 0) && Math.abs(interval.mean) > maxGap;
