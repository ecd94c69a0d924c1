import { UnsupportedMediaTypeError, ValidationError } from '@crucible/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8Offset } from './decode-text';

const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
};

describe('decodeText', () => {
  it('decodes plain UTF-8', () => {
    expect(decodeText(Buffer.from('héllo — 世界 🎉'))).toEqual({ text: 'héllo — 世界 🎉', via: 'utf-8' });
  });

  it('strips a UTF-8 BOM', () => {
    expect(decodeText(Buffer.from('\uFEFFhello'))).toEqual({ text: 'hello', via: 'utf-8-bom' });
  });

  it('decodes UTF-16 LE and BE by their BOM, and the BOM wins over a declared charset', () => {
    const text = 'naïve café 🎉';
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(text, 'le')]))).toEqual({ text, via: 'utf-16le-bom' });
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16(text, 'be')]), 'windows-1252')).toEqual({ text, via: 'utf-16be-bom' });
  });

  it('decodes a declared UTF-16BE without BOM', () => {
    expect(decodeText(utf16('abc', 'be'), 'UTF-16BE').text).toBe('abc');
  });

  it('rejects truncated UTF-16 and unpaired surrogates', () => {
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x41]))).toThrow(/odd number of bytes/);
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]))).toThrow(/unpaired surrogate/);
  });

  it('decodes windows-1252 when declared, including latin1/us-ascii labels (WHATWG)', () => {
    const bytes = Buffer.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80]);
    expect(decodeText(bytes, 'windows-1252').text).toBe('“café” €');
    expect(decodeText(bytes, 'ISO-8859-1').text).toBe('“café” €');
    expect(decodeText(bytes, 'us-ascii').text).toBe('“café” €');
  });

  it('decodes other legacy charsets iconv-lite knows', () => {
    expect(decodeText(Buffer.from([0x82, 0xa0]), 'shift_jis').text).toBe('あ');
  });

  it('rejects invalid UTF-8 with the byte offset, never repairing it', () => {
    const bytes = Buffer.concat([Buffer.from('abc é '), Buffer.from([0xff]), Buffer.from('x')]);
    try {
      decodeText(bytes, undefined, ['files', 0]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('invalid_document');
      expect((error as ValidationError).message).toMatch(/byte 0xff at offset 7/);
      expect((error as ValidationError).issues).toEqual([{ path: ['files', 0], message: 'invalid UTF-8 at byte offset 7' }]);
    }
  });

  it('counts the skipped BOM in the offset', () => {
    expect(() => decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xc0, 0x80]))).toThrow(/offset 4/);
  });

  it('refuses an unknown charset as an unsupported media type', () => {
    expect(() => decodeText(Buffer.from('x'), 'x-klingon')).toThrow(UnsupportedMediaTypeError);
  });
});

describe('firstInvalidUtf8Offset', () => {
  it.each([
    [[0xc0, 0x80], 0], // overlong NUL
    [[0x41, 0xe0, 0x80, 0x80], 1], // overlong 3-byte
    [[0xed, 0xa0, 0x80], 0], // encoded surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x41, 0x42, 0xe2, 0x82], 2], // truncated
    [[0x80], 0], // stray continuation
  ])('%j → %i', (bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('agrees with the WHATWG fatal decoder on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(offset === bytes.length).toBe(valid);
        if (!valid) new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, offset));
      }),
      { numRuns: 2_000 },
    );
  });
});
