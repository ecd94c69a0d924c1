import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getEncoding } from './encodings';
import { TEST_CORPUS } from './testing/corpus';

const enc = getEncoding('cl100k_base');
const utf8 = (text: string) => new TextEncoder().encode(text);

function checkOffsets(text: string): void {
  const { ids, offsets } = enc.encodeWithOffsets(text, { allowedSpecial: 'all' });
  expect(ids).toEqual(enc.encode(text, { allowedSpecial: 'all' }));
  expect(offsets).toHaveLength(ids.length);
  let byteCursor = 0;
  const bytes = utf8(text);
  offsets.forEach(([start, end], i) => {
    expect(start).toBeLessThan(end);
    if (i > 0) expect(start).toBeGreaterThanOrEqual(offsets[i - 1]![0]);
    const tokenBytes = enc.tokenBytes(ids[i]!);
    // The token's bytes lie inside the UTF-8 encoding of its span.
    const spanBytes = utf8(text.slice(start, end));
    expect(Buffer.from(spanBytes).includes(Buffer.from(tokenBytes))).toBe(true);
    byteCursor += tokenBytes.length;
  });
  expect(byteCursor).toBe(bytes.length);
  if (offsets.length > 0) {
    expect(offsets[0]![0]).toBe(0);
    expect(offsets.at(-1)![1]).toBe(text.length);
  }
}

describe('encodeWithOffsets', () => {
  it('maps whole-character tokens to exactly their text', () => {
    const text = 'Hello, wörld! 12345';
    const { ids, offsets } = enc.encodeWithOffsets(text);
    offsets.forEach(([start, end], i) => expect(text.slice(start, end)).toBe(enc.decode([ids[i]!])));
  });

  it('gives tokens that split a character the whole character', () => {
    const text = 'x🧑🏿‍🚀y';
    const { ids, offsets } = enc.encodeWithOffsets(text);
    const partial = ids.findIndex((id) => enc.decode([id]).includes('\ufffd'));
    expect(partial).toBeGreaterThanOrEqual(0);
    const [start, end] = offsets[partial]!;
    // A surrogate pair is two UTF-16 units; the span never cuts it.
    expect(text.slice(start, end)).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it('covers special tokens', () => {
    const text = 'a<|endoftext|>b';
    expect(enc.encodeWithOffsets(text, { allowedSpecial: 'all' }).offsets).toEqual([
      [0, 1],
      [1, 14],
      [14, 15],
    ]);
  });

  it.each(TEST_CORPUS.map((t, i) => [i, t] as const))('is consistent on corpus string %i', (_, text) => checkOffsets(text));

  it('is consistent on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => checkOffsets(text.replaceAll('<|', '<')) ), { numRuns: 200 });
  });
});
