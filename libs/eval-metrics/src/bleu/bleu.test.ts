import { describe, expect, it } from 'vitest';
import { corpusBleu, sentenceBleu } from './bleu';
import { tokenize13a } from './tokenizer-13a';

describe('13a tokenizer', () => {
  it('pads symbols, splits . and , outside numbers, a dash after a digit, and unescapes entities', () => {
    expect(tokenize13a('Hello, world! It costs $3.50 (approx.) -- e.g. 1990-2000 &amp; <skipped>ok')).toBe(
      'Hello , world ! It costs $ 3.50 ( approx . ) -- e . g . 1990 - 2000 & ok',
    );
  });

  it('joins a hyphenated line break and collapses Python whitespace (U+0085 included, U+FEFF not)', () => {
    expect(tokenize13a('co-\noperate\nnow\u0085then')).toBe('cooperate now then');
    expect(tokenize13a('a\ufeffb')).toBe('a\ufeffb');
  });
});

describe('corpus BLEU', () => {
  it('is the geometric mean of clipped precisions: (5/6 · 3/5 · 2/4 · 1/3)^¼ = (1/12)^¼', () => {
    const r = corpusBleu(['the cat sat on the mat'], [['the cat sat on a mat']]);
    expect(r.counts).toEqual([5, 3, 2, 1]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    expect(r.score).toBeCloseTo(100 * (1 / 12) ** 0.25, 12);
    expect(r.signature).toBe('nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  it('smooths zero-match orders exponentially: 1/(2·total), 1/(4·total)', () => {
    const r = corpusBleu(['a b c d'], [['x b c y']]);
    expect(r.precisions).toEqual([50, 100 / 3, 25, 25]);
    expect(r.score).toBeCloseTo(100 * (0.5 * (1 / 3) * 0.25 * 0.25) ** 0.25, 12);
  });

  it('applies the brevity penalty exp(1 − r/c) and is 0 when an order has no n-grams', () => {
    const r = corpusBleu(['the cat'], [['the cat sat on the mat']]);
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(1 - 3), 15);
    expect(r.score).toBe(0);
  });

  it('scores an empty hypothesis 0 with BP 0', () => {
    const r = corpusBleu([''], [['the cat']]);
    expect(r).toMatchObject({ score: 0, brevityPenalty: 0, sysLen: 0, refLen: 2 });
  });

  it('clips by the maximum count over references and picks the closest (then shorter) reference length', () => {
    const r = corpusBleu(['the the the the'], [['the cat', 'the the mat is here']]);
    expect(r.counts[0]).toBe(2);
    expect(r.refLen).toBe(5);
    const tie = corpusBleu(['a b c'], [['a b', 'a b c d']]);
    expect(tie.refLen).toBe(2);
    expect(tie.signature.startsWith('nrefs:2|')).toBe(true);
  });

  it('sums statistics over segments before scoring (not an average of sentence scores)', () => {
    const a = corpusBleu(['the cat sat on the mat', 'a b c d'], [['the cat sat on a mat'], ['x b c y']]);
    expect(a.counts).toEqual([5 + 2, 3 + 1, 2 + 0, 1 + 0]);
    expect(a.totals).toEqual([10, 8, 6, 4]);
  });

  it('reports a variable reference count as nrefs:var and rejects a segment without references', () => {
    expect(corpusBleu(['a', 'b'], [['a'], ['b', 'c']]).signature.startsWith('nrefs:var|')).toBe(true);
    expect(() => corpusBleu(['a'], [[]])).toThrow(/no reference/);
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(/2 hypotheses but 1/);
  });

  it('lowercases when asked and says so in the signature', () => {
    const r = corpusBleu(['The Cat'], [['the cat']], { lowercase: true });
    expect(r.counts.slice(0, 2)).toEqual([2, 1]);
    expect(r.signature).toContain('case:lc');
  });
});

describe('sentence BLEU', () => {
  it('uses the effective order: "the cat" vs a 6-word reference = 100 · e^(1−3)', () => {
    const r = sentenceBleu('the cat', ['the cat sat on the mat']);
    expect(r.score).toBeCloseTo(100 * Math.exp(-2), 12);
    expect(r.signature).toBe('nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp|version:2.6.0');
  });
});
