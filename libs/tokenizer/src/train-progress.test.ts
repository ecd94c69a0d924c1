import { describe, expect, it } from 'vitest';
import { formatTrainProgress } from './train-progress';

describe('formatTrainProgress', () => {
  it('describes both phases', () => {
    expect(formatTrainProgress({ phase: 'count', stats: { bytes: 2.5e6, preTokens: 500_000, distinct: 40_000, prunes: 2, maxUndercount: 3 } })).toBe(
      'bpe: counted 2.5 MB, 500000 pre-tokens, 40000 distinct, 2 prunes (counts low by ≤ 3)',
    );
    expect(formatTrainProgress({ phase: 'merge', merges: 1000, vocab: 1256, target: 31999, lastCount: 812 })).toBe(
      'bpe: 1000 merges, vocabulary 1256/31999, last merged pair seen 812 times',
    );
  });
});
