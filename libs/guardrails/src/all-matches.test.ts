import { describe, expect, it } from 'vitest';
import { allMatches } from './all-matches';

/** What matchAll gives, in the shape compared here. */
const viaMatchAll = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => ({ at: m.index, match: [...m] }));
const viaAllMatches = (re: RegExp, text: string) => allMatches(re, text).map((m) => ({ at: m.index, match: [...m] }));

describe('allMatches', () => {
  it.each([
    [/\b(?:bomb|napalm|thermite)s?\b/g, 'Bombs aside: napalm, thermite and bombs and more bombs.'.toLowerCase()],
    [/(\d+)-(\d+)/g, 'ranges 1-2, 10-20 and 300-400'],
    [/x*/g, 'axxbx'], // empty matches between the characters
    [/(?:)/gu, 'a😀b'], // empty matches step over a whole code point in unicode mode
    [/(?:)/g, 'a😀b'], // …and over one UTF-16 unit without it
    [/[a-z0-9]+/g, ''],
    [/no match here/g, 'plain prose'],
  ])('finds what matchAll finds: %s', (re, text) => {
    expect(viaAllMatches(re, text)).toEqual(viaMatchAll(re, text));
  });

  it('leaves lastIndex at 0, so a test or another scan with the same regex starts at the beginning', () => {
    const re = /b/g;
    re.lastIndex = 2;
    expect(allMatches(re, 'abcb')).toHaveLength(2);
    expect(re.lastIndex).toBe(0);
    expect(re.test('b')).toBe(true);
  });

  it('refuses a regex without the g flag, as matchAll does', () => {
    expect(() => allMatches(/b/, 'abc')).toThrow(/global regex/);
    expect(() => 'abc'.matchAll(/b/)).toThrow(TypeError);
  });
});
