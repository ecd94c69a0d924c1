import { describe, expect, it } from 'vitest';
import { corpusRouge, rouge, rougeMulti, rougeTokenize } from './rouge';

describe('rouge-score tokenizer', () => {
  it('lowercases and turns every non-[a-z0-9] run into a separator', () => {
    expect(rougeTokenize("The U.S. economy's 3rd-quarter: café!")).toEqual(['the', 'u', 's', 'economy', 's', '3rd', 'quarter', 'caf']);
    expect(rougeTokenize('  ...  ')).toEqual([]);
  });
});

describe('ROUGE', () => {
  it('ROUGE-1/2/L of "the cat on the mat" against "the cat sat on the mat"', () => {
    const s = rouge('the cat sat on the mat', 'the cat on the mat');
    expect(s.rouge1).toEqual({ precision: 1, recall: 5 / 6, fmeasure: (2 * (5 / 6)) / (1 + 5 / 6) });
    expect(s.rouge2.precision).toBe(3 / 4);
    expect(s.rouge2.recall).toBe(3 / 5);
    expect(s.rouge2.fmeasure).toBeCloseTo(2 / 3, 12);
    expect(s.rougeL).toEqual(s.rouge1); // LCS = 5
  });

  it('LCS is a subsequence, not a substring', () => {
    expect(rouge('a b c d e', 'a x c y e').rougeL.recall).toBe(3 / 5);
  });

  it('is 0 for an empty prediction or target', () => {
    const s = rouge('the cat', '');
    expect([s.rouge1.fmeasure, s.rouge2.fmeasure, s.rougeL.fmeasure]).toEqual([0, 0, 0]);
  });

  it('takes, per type, the reference with the best F-measure', () => {
    const s = rougeMulti(['dog runs', 'the cat sat'], 'the cat sat');
    expect(s.rouge1.fmeasure).toBe(1);
    expect(() => rougeMulti([], 'x')).toThrow(/at least one target/);
  });

  it('corpus scores are per-example means', () => {
    const c = corpusRouge(['the cat sat', 'zzz'], [['the cat sat'], ['the dog']]);
    expect(c.rouge1.fmeasure).toBe(0.5);
  });
});
