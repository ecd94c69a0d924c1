import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text';

describe('normalizeText', () => {
  it('composes to NFC by default and folds compatibility forms only with NFKC', () => {
    const decomposed = 'Cafe\u0301 ﬁnal ²';
    expect(normalizeText(decomposed)).toBe('Café ﬁnal ²');
    expect(normalizeText(decomposed, { form: 'NFKC', maxConsecutiveBlankLines: 1, stripZeroWidth: true })).toBe('Café final 2');
  });

  it('normalises line endings and strips C0/C1 controls but keeps tabs and newlines', () => {
    expect(normalizeText('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
    expect(normalizeText('bell\u0007 nul\u0000 esc\u001b[0m c1\u0085x\u009b tab\tok')).toBe('bell nul esc[0m c1\nx tab\tok');
  });

  it('collapses horizontal whitespace, trims lines and limits blank lines', () => {
    expect(normalizeText('  one   two\u00a0\u00a0three \u3000 \n\n\n\n  four  \n')).toBe('one two three\n\nfour');
    expect(normalizeText('a\n\n\n\nb', { form: 'NFC', maxConsecutiveBlankLines: 0, stripZeroWidth: true })).toBe('a\nb');
    expect(normalizeText('a\n\n\n\nb', { form: 'NFC', maxConsecutiveBlankLines: 2, stripZeroWidth: true })).toBe('a\n\n\nb');
  });

  it('removes zero-width characters and the byte-order mark', () => {
    expect(normalizeText('\ufeffzero\u200bwidth\u200djoin')).toBe('zerowidthjoin');
  });

  it('is idempotent and maps blank input to the empty string', () => {
    const once = normalizeText(' x \r\n\r\n\r\n y\u0000 ');
    expect(normalizeText(once)).toBe(once);
    expect(normalizeText(' \n\t\u0000 ')).toBe('');
  });
});

describe('normalizeText properties', () => {
  it('is idempotent and leaves no controls, \\r, trailing spaces or double spaces', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
        expect(once).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\r| {2}| \n|\n /);
        expect(once).not.toMatch(/\n{3,}/);
      }),
      { numRuns: 300 },
    );
  });
});
