import { describe, expect, it } from 'vitest';
import { splitWords } from '../text/words';
import { duplicatedNGramChars, findDuplicates, gopherRepetition, NGramIds, topNGramChars } from './gopher-repetition.rule';

const P1 = 'The harbour was quiet in the early morning, and the fishing boats had not yet returned from the sea.';
const P2 = 'Along the quay, a few merchants were opening their stalls and arranging baskets of bread and fruit.';
const P3 = 'By noon the square would be crowded with sailors, travellers and children running between the carts.';
const P4 = 'Nobody expected the storm that the old pilot had predicted the evening before at the tavern.';

describe('gopherRepetition', () => {
  it('keeps text without repetition', () => {
    expect(gopherRepetition([P1, P2, P3, P4].join('\n\n'))).toBeNull();
  });

  it('rejects repeated paragraphs and repeated lines', () => {
    expect(gopherRepetition([P1, P2, P1, P1].join('\n\n'))).toMatchObject({ reason: 'dup_para_frac' });
    const boiler = 'Subscribe to our newsletter.';
    const lines = [P1, boiler, P2, boiler, P3, boiler, P4, boiler].join('\n');
    expect(gopherRepetition(lines)).toMatchObject({ reason: 'dup_line_frac' });
  });

  it('rejects by duplicated characters when a long paragraph repeats', () => {
    const long = [P1, P2, P3].join(' ');
    expect(gopherRepetition([long, P4, long, `${P4} More.`, 'Short one.', 'Another short one.'].join('\n\n'))).toMatchObject({
      reason: 'dup_para_char_frac',
    });
  });

  it('rejects a dominant 2-gram', () => {
    const spam = Array.from({ length: 30 }, (_, i) => `buy now ${['cheap', 'fast', 'today', 'here', 'online'][i % 5]}`).join(' ');
    expect(gopherRepetition(spam)).toMatchObject({ reason: 'top_2_gram' });
  });

  it('rejects long duplicated n-grams inside one line', () => {
    const loop = `${P1} ${P2} ${P1} ${P3}`;
    expect(gopherRepetition(loop)?.reason).toMatch(/^(top_\d_gram|duplicated_\d+_n_grams)$/);
    expect(gopherRepetition(loop)).toMatchObject({ reason: 'duplicated_5_n_grams' });
  });

  it('counts like datatrove helpers', () => {
    expect(findDuplicates(['a', 'bb', 'a', 'bb', 'bb', 'c'])).toEqual({ elements: 3, chars: 5 });
    const w = new NGramIds('a b a b a b c'.split(' '));
    // "a b" occurs 3 times: 3 × len("a b") = 9.
    expect(topNGramChars(w, 2)).toBe(9);
    // Ties go to the first n-gram seen: "x y" (len 3) before "long word" (len 9).
    expect(topNGramChars(new NGramIds('x y long word x y long word'.split(' ')), 2)).toBe(6);
    expect(topNGramChars(new NGramIds('long word x y long word x y'.split(' ')), 2)).toBe(18);
    // Duplicates skip ahead by n: a b a b a b c → dups at 2 and 4 → 4 chars.
    expect(duplicatedNGramChars(w, 2)).toBe(4);
    // Exact ids: "ab c" and "a bc" are different 2-grams (datatrove's "".join would conflate them).
    expect(duplicatedNGramChars(new NGramIds(['ab', 'c', 'a', 'bc']), 2)).toBe(0);
  });

  it('uses precomputed words when given', () => {
    const text = [P1, P2].join('\n\n');
    expect(gopherRepetition(text, undefined, splitWords(text))).toBeNull();
  });
});

// A literal port of datatrove's helpers (strings, Counter, joins) as the reference.
const refTop = (words: string[], n: number): number => {
  const grams = words.slice(0, Math.max(0, words.length - n + 1)).map((_, i) => words.slice(i, i + n).join(' '));
  const counts = new Map<string, number>();
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const e of counts) if (!best || e[1] > best[1]) best = e;
  return best ? best[0].length * best[1] : 0;
};
const refDup = (words: string[], n: number): number => {
  const seen = new Set<string>();
  let repeated = 0;
  let i = 0;
  while (i < words.length - n + 1) {
    const g = words.slice(i, i + n).join('');
    if (seen.has(g)) {
      repeated += g.length;
      i += n;
    } else {
      seen.add(g);
      i++;
    }
  }
  return repeated;
};

describe('n-gram counts against the datatrove reference', () => {
  it('agree on random word sequences for n = 2..10', async () => {
    const fc = await import('fast-check');
    // Single-letter words: joined n-grams are unambiguous, so "".join and ids must agree exactly.
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 80 }), fc.integer({ min: 2, max: 10 }), (words, n) => {
        const grams = new NGramIds(words);
        if (words.length >= n) expect(topNGramChars(grams, n)).toBe(refTop(words, n));
        expect(duplicatedNGramChars(grams, n)).toBe(refDup(words, n));
      }),
      { numRuns: 500 },
    );
  });
});
