import { describe, expect, it } from 'vitest';
import { splitWords } from './words';

// Expected tokens are spaCy's blank English tokenizer output (what datatrove uses), recorded
// from datatrove 0.10.1's split_into_words.
describe('splitWords', () => {
  it('splits clitics, punctuation, currency and keeps abbreviations like spaCy', () => {
    expect(splitWords("Don't stop-believing... It's 3.5% of $100 (U.S.) #tag")).toEqual([
      'Do', "n't", 'stop', '-', 'believing', '...', 'It', "'s", '3.5', '%', 'of', '$', '100', '(', 'U.S.', ')', '#', 'tag',
    ]);
    expect(splitWords('Mr. Smith went to Washington. The USA. He said: "yes!"')).toEqual([
      'Mr.', 'Smith', 'went', 'to', 'Washington', '.', 'The', 'USA', '.', 'He', 'said', ':', '"', 'yes', '!', '"',
    ]);
    expect(splitWords('well-known e.g. state-of-the-art, 1990-2000')).toEqual([
      'well', '-', 'known', 'e.g.', 'state', '-', 'of', '-', 'the', '-', 'art', ',', '1990', '-', '2000',
    ]);
  });

  it('drops every kind of whitespace and returns nothing for blank text', () => {
    expect(splitWords(' \n\t\u00a0\u3000 ')).toEqual([]);
    expect(splitWords('one\ntwo\u00a0three')).toEqual(['one', 'two', 'three']);
  });
});

describe('splitWords properties', () => {
  it('loses no character but whitespace, and yields no empty or whitespace-bearing tokens', async () => {
    const fc = await import('fast-check');
    const alphabet = fc.constantFrom(...'abcXYZ019.,;:!?\'"()-–—$%#…/ \n\t\u00a0’é'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const tokens = splitWords(text);
        expect(tokens.join('')).toBe(text.replace(/[ \n\t\u00a0]/g, ''));
        for (const t of tokens) expect(t).toMatch(/^[^ \n\t\u00a0]+$/);
      }),
      { numRuns: 500 },
    );
  });
});
