import { describe, expect, it } from 'vitest';
import { corpusChrf, sentenceChrf } from './chrf';

describe('chrF', () => {
  it('averages precision and recall over orders both sides have: "cat" vs "cast"', () => {
    // order 1: P 3/3, R 3/4; order 2: P 1/2, R 1/3; order 3: P 0, R 0; orders 4–6: no hypothesis n-grams.
    const p = (1 + 0.5 + 0) / 3;
    const r = (0.75 + 1 / 3 + 0) / 3;
    expect(sentenceChrf('cat', ['cast']).score).toBeCloseTo((100 * (5 * p * r)) / (4 * p + r), 12);
  });

  it('ignores whitespace by default and is 100 for identical text', () => {
    expect(sentenceChrf('the cat', ['thecat']).score).toBe(100);
    expect(sentenceChrf('the cat', ['the cat'], { whitespace: true }).score).toBe(100);
    expect(sentenceChrf('the cat', ['thecat'], { whitespace: true }).score).toBeLessThan(100);
  });

  it('counts code points, not UTF-16 units', () => {
    // '😀a' has 2 code points: 1-grams 😀, a and one 2-gram; an emoji miss must cost one n-gram, not two.
    const r = sentenceChrf('😀a', ['😁a']);
    const p = (1 / 2 + 0) / 2;
    expect(r.score).toBeCloseTo((100 * (5 * p * p)) / (4 * p + p), 12);
  });

  it('scores an empty hypothesis 0 and takes the best reference per segment', () => {
    expect(sentenceChrf('', ['the cat']).score).toBe(0);
    const best = sentenceChrf('the cat', ['dog', 'the cat']);
    expect(best.score).toBe(100);
    expect(best.signature).toBe('nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0');
  });

  it('chrF++ adds word n-grams with leading/trailing punctuation split off', () => {
    const plain = corpusChrf(['Hello, world'], [['Hello world']]);
    const plusPlus = corpusChrf(['Hello, world'], [['Hello world']], { wordOrder: 2 });
    expect(plusPlus.signature).toContain('nw:2');
    expect(plusPlus.score).not.toBe(plain.score);
    expect(corpusChrf(['(hi)'], [['(hi)']], { wordOrder: 2 }).score).toBe(100);
  });
});
