import { describe, expect, it } from 'vitest';
import { exactMatch, exactMatchRate, normalizeAnswer } from './exact-match';

describe('SQuAD exact match', () => {
  it('normalizes case, punctuation, articles and whitespace', () => {
    expect(normalizeAnswer('  The  Union, is STRONG! ')).toBe('union is strong');
    expect(normalizeAnswer('an apple a day')).toBe('apple day');
  });

  it('removes articles only as whole words (Unicode-aware like Python 3)', () => {
    expect(normalizeAnswer('theory another')).toBe('theory another');
    expect(normalizeAnswer('éthe thé')).toBe('éthe thé');
  });

  it('matches any reference', () => {
    expect(exactMatch('the Union.', ['a union', 'nation'])).toBe(true);
    expect(exactMatch('Union forever', ['union'])).toBe(false);
    expect(exactMatchRate(['a', 'b'], [['a'], ['c']])).toBe(0.5);
  });
});
