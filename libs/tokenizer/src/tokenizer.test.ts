import fc from 'fast-check';
import { getEncoding as jsTiktoken } from 'js-tiktoken';
import cl100kRanks from 'js-tiktoken/ranks/cl100k_base';
import gpt2Ranks from 'js-tiktoken/ranks/gpt2';
import o200kRanks from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { getEncoding } from './encodings';
import { CL100K_PATTERN, GPT2_PATTERN, O200K_PATTERN } from './patterns';
import { TEST_CORPUS } from './testing/corpus';
import { DecodeKeyError, DisallowedSpecialTokenError } from './tokenizer.errors';

const NAMES = ['gpt2', 'cl100k_base'] as const;
const references = { gpt2: jsTiktoken('gpt2'), cl100k_base: jsTiktoken('cl100k_base') };

/** Strings of arbitrary UTF-16 units, lone surrogates included. */
const utf16String = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }).map((units) => String.fromCharCode(...units));

describe.each(NAMES)('%s matches js-tiktoken', (name) => {
  const ours = getEncoding(name);
  const reference = references[name];

  it.each(TEST_CORPUS.map((text, i) => [i, text] as const))('corpus string %i', (_, text) => {
    expect(ours.encode(text, { disallowedSpecial: [] })).toEqual(reference.encode(text, [], []));
  });

  it('corpus as one document', () => {
    const text = TEST_CORPUS.join('\n');
    expect(ours.encode(text, { allowedSpecial: 'all' })).toEqual(reference.encode(text, 'all'));
  });

  it('arbitrary full-Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(ours.encode(text, { disallowedSpecial: [] })).toEqual(reference.encode(text, [], []));
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary UTF-16 strings, lone surrogates encoded as U+FFFD like TextEncoder', () => {
    fc.assert(
      fc.property(utf16String, (text) => {
        const ids = ours.encode(text, { disallowedSpecial: [] });
        expect(ids).toEqual(reference.encode(text, [], []));
        expect(ours.decode(ids)).toBe(new TextDecoder().decode(new TextEncoder().encode(text)));
      }),
      { numRuns: 300 },
    );
  });

  it('long pieces (heap merge path) agree', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'é', '語', '🎉', 'x', 'y'), minLength: 65, maxLength: 400 }), (text) => {
        expect(ours.encode(text)).toEqual(reference.encode(text));
      }),
      { numRuns: 60 },
    );
  });

  it('decode(encode(x)) === x for well-formed strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(ours.decode(ours.encode(text, { disallowedSpecial: [] }))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('o200k_base matches js-tiktoken', { timeout: 60_000 }, () => {
  it('on the corpus', () => {
    const ours = getEncoding('o200k_base');
    const reference = jsTiktoken('o200k_base');
    for (const text of TEST_CORPUS) expect(ours.encode(text, { disallowedSpecial: [] })).toEqual(reference.encode(text, [], []));
    // Long repetitive pieces grow the merge heap past n entries (a heap sized n once lost merges here).
    for (let n = 30; n <= 120; n += 9) for (const unit of ['ab', 'abc', 'aab']) expect(ours.encode(unit.repeat(n))).toEqual(reference.encode(unit.repeat(n)));
  });
});

describe('published ids (golden)', () => {
  it('gpt2 and cl100k_base give the ids tiktoken documents', () => {
    expect(getEncoding('gpt2').encode('hello world')).toEqual([31373, 995]);
    expect(getEncoding('cl100k_base').encode('hello world')).toEqual([15339, 1917]);
    expect(getEncoding('cl100k_base').encode('<|endoftext|>', { allowedSpecial: 'all' })).toEqual([100257]);
  });

  it('vocabulary sizes and end-of-text ids', () => {
    expect(getEncoding('gpt2').vocabSize).toBe(50257);
    expect(getEncoding('gpt2').eotToken).toBe(50256);
    expect(getEncoding('cl100k_base').vocabSize).toBe(100277);
    expect(getEncoding('cl100k_base').eotToken).toBe(100257);
  });

  it('patterns are the ones js-tiktoken ships', () => {
    expect(GPT2_PATTERN).toBe(gpt2Ranks.pat_str);
    expect(CL100K_PATTERN).toBe(cl100kRanks.pat_str);
    expect(O200K_PATTERN).toBe(o200kRanks.pat_str);
  });
});

describe('special tokens', () => {
  const enc = getEncoding('cl100k_base');
  const text = 'a<|endoftext|>b<|fim_prefix|>c';

  it('are rejected by default with the offending token', () => {
    const error = (() => {
      try {
        enc.encode(text);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DisallowedSpecialTokenError);
    expect((error as DisallowedSpecialTokenError).token).toBe('<|endoftext|>');
    expect((error as DisallowedSpecialTokenError).code).toBe('disallowed_special_token');
  });

  it('become special ids when allowed, and other specials still fail', () => {
    expect(enc.encode(text, { allowedSpecial: 'all' })).toEqual(references.cl100k_base.encode(text, 'all'));
    expect(() => enc.encode(text, { allowedSpecial: new Set(['<|endoftext|>']) })).toThrow(DisallowedSpecialTokenError);
    expect(enc.encode(text, { allowedSpecial: ['<|endoftext|>'], disallowedSpecial: [] })).toEqual(
      references.cl100k_base.encode(text, ['<|endoftext|>'], []),
    );
  });

  it('are plain text through encodeOrdinary', () => {
    expect(enc.encodeOrdinary(text)).toEqual(references.cl100k_base.encode(text, [], []));
  });
});

describe('decode', () => {
  const enc = getEncoding('cl100k_base');
  it('rejects unknown ids with DecodeKeyError', () => {
    expect(() => enc.decode([15339, 100256])).toThrow(DecodeKeyError);
    expect(() => enc.decode([1e7])).toThrow(expect.objectContaining({ token: 1e7, code: 'decode_key' }));
  });
  it('decodes special ids and partial characters', () => {
    expect(enc.decode([100257])).toBe('<|endoftext|>');
    const ids = enc.encode('🎉');
    expect(Buffer.from(enc.decodeBytes(ids)).toString()).toBe('🎉');
  });
});
