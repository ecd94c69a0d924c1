import { describe, expect, it } from 'vitest';
import { Prefilter } from './prefilter';

describe('Prefilter', () => {
  const patterns = [/bomb/g, /^system:/gm, /(a)\1{2}/g, /\bkill\b/g, /(?<![a-z])rat/g];
  const pre = new Prefilter(patterns);

  it('keeps every pattern that matches, in order', () => {
    for (const text of ['a bomb', 'x\nsystem: hi', 'kill it', 'rat bomb', 'pirate', 'nothing here']) {
      const matching = patterns.map((p, i) => (new RegExp(p.source, p.flags.replace('g', '')).test(text) ? i : -1)).filter((i) => i >= 0);
      const candidates = pre.candidates(text);
      expect(matching.every((i) => candidates.includes(i)), text).toBe(true);
      expect(candidates).toEqual([...candidates].sort((a, b) => a - b));
    }
  });

  it('rules out groups that cannot match, but always runs backreferences', () => {
    expect(pre.candidates('nothing here')).toEqual([2]);
    expect(pre.candidates('system: hi')).toEqual([1, 2]);
  });
});
