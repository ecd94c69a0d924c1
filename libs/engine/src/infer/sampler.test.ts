import { describe, expect, it } from 'vitest';
import { Rng } from '../train/rng';
import { type SamplingOptions, sampleToken } from './sampler';

/** The textbook sampler: sort the whole vocabulary, cut to top-k, then to the nucleus. */
function reference(row: Float32Array, options: SamplingOptions, rng: Rng): number {
  const temperature = options.temperature ?? 1;
  let ids = Array.from(row.keys()).sort((a, b) => row[b]! - row[a]! || a - b);
  if ((options.topK ?? 0) > 0) ids = ids.slice(0, options.topK);
  const max = row[ids[0]!]!;
  let probs = ids.map((i) => Math.exp((row[i]! - max) / temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if ((options.topP ?? 1) < 1) {
    let cum = 0;
    let keep = 0;
    while (keep < probs.length && cum < options.topP! * total) cum += probs[keep++]!;
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

describe('sampleToken', () => {
  it('draws exactly what sorting the whole vocabulary draws, for top-k, top-p and both, peaked and flat rows', () => {
    const data = new Rng(7);
    const settings: SamplingOptions[] = [
      { temperature: 0.7, topP: 0.9 },
      { temperature: 1, topP: 0.5 },
      { temperature: 1.3, topK: 40 },
      { temperature: 0.8, topK: 50, topP: 0.95 },
      { temperature: 1, topP: 0.999 },
    ];
    let draws = 0;
    for (const spread of [0.5, 3, 12]) {
      for (let n = 0; n < 20; n++) {
        const row = Float32Array.from({ length: 2048 }, () => spread * (data.next() * 2 - 1) ** 3);
        for (const options of settings) {
          const [a, b] = [new Rng(n), new Rng(n)];
          for (let k = 0; k < 5; k++, draws++) expect(sampleToken(row, options, a), `${JSON.stringify(options)} spread ${spread} row ${n} draw ${k}`).toBe(reference(row, options, b));
        }
      }
    }
    expect(draws).toBe(3 * 20 * settings.length * 5);
  });

  it('samples the full distribution in proportion to exp(logit / temperature)', () => {
    const row = Float32Array.of(0, Math.log(2), Math.log(5), -Infinity);
    const rng = new Rng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[sampleToken(row, { temperature: 1 }, rng)]!++;
    expect(counts[3]).toBe(0);
    [1 / 8, 2 / 8, 5 / 8].forEach((p, i) => expect(Math.abs(counts[i]! / 8000 - p)).toBeLessThan(0.02));
  });
});
