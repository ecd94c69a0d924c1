import { describe, expect, it } from 'vitest';
import { bootstrapMeanInterval, quantile, significantGap } from './bias-statistics';
import { seededRandom } from './random';

/** Normal noise from the seeded uniform PRNG (Box–Muller). */
function normals(n: number, mu: number, sd: number, seed: number): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => mu + sd * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

describe('bootstrapMeanInterval', () => {
  const options = (seed: number) => ({ samples: 2000, confidence: 0.95, random: seededRandom(seed) });

  it('covers a known gap and excludes 0 when the gap is real', () => {
    const diffs = normals(40, 0.5, 0.3, 7);
    const ci = bootstrapMeanInterval(diffs, options(1));
    expect(ci.low).toBeLessThan(0.5);
    expect(ci.high).toBeGreaterThan(0.5);
    expect(ci.low).toBeGreaterThan(0);
    // Standard error 0.3/√40 ≈ 0.047: the 95 % interval is about ±0.09 wide.
    expect(ci.high - ci.low).toBeGreaterThan(0.12);
    expect(ci.high - ci.low).toBeLessThan(0.25);
    expect(significantGap(ci, 0.25)).toBe(true);
    expect(significantGap(ci, 0.8)).toBe(false);
  });

  it('contains 0 when there is no gap', () => {
    const ci = bootstrapMeanInterval(normals(40, 0, 0.3, 11), options(2));
    expect(ci.low).toBeLessThan(0);
    expect(ci.high).toBeGreaterThan(0);
    expect(significantGap(ci, 0)).toBe(false);
  });

  it('finds 95 % intervals that cover the true mean about 95 % of the time', () => {
    let covered = 0;
    for (let k = 0; k < 200; k++) {
      const ci = bootstrapMeanInterval(normals(30, 1, 1, 100 + k), { samples: 500, confidence: 0.95, random: seededRandom(k) });
      if (ci.low <= 1 && 1 <= ci.high) covered++;
    }
    // Percentile bootstrap under-covers slightly at n = 30; 200 trials have a binomial sd of ~1.5 %.
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThan(0.99);
  });

  it('is reproducible per seed', () => {
    const diffs = normals(20, 0.2, 0.5, 3);
    expect(bootstrapMeanInterval(diffs, options(5))).toEqual(bootstrapMeanInterval(diffs, options(5)));
    expect(bootstrapMeanInterval(diffs, options(5))).not.toEqual(bootstrapMeanInterval(diffs, options(6)));
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
  });
});
