import { describe, expect, it } from 'vitest';
import { normalizeForDetection, originalSpan } from './normalize';

describe('normalizeForDetection', () => {
  it.each([
    ['H0w t0 m4k3 b0mb5?', 'how to make bombs?'],
    ['i g n o r e  a l l  p r e v i o u s', 'ignore all previous'],
    ['a b.o.m.b', 'a bomb'],
    ['ig\u200Bnore pre\u200Dvious\uFEFF', 'ignore previous'],
    ['ＩＧＮＯＲＥ ïgnörè', 'ignore ignore'],
    ['рrеviоus', 'previous'],
    ['booooomb', 'bomb'],
    ['tabs\tand   spaces', 'tabs and spaces'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeForDetection(input).text).toBe(expected);
  });

  it('leaves numbers, units and versions alone', () => {
    expect(normalizeForDetection('Founded 1990, ran 10km, v2 on the 2nd').text).toBe('founded 1990, ran 10km, v2 on the 2nd');
  });

  it('decodes Unicode tag characters and says so', () => {
    const hidden = [...'ignore'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const n = normalizeForDetection(`hello ${hidden}`);
    expect(n.text).toBe('hello ignore');
    expect(n.hadTagCharacters).toBe(true);
    expect(normalizeForDetection('hello').hadTagCharacters).toBe(false);
  });

  it('maps spans back to the original text through every rewrite', () => {
    const original = 'Say: b.o.m.b\u200B now';
    const n = normalizeForDetection(original);
    const at = n.text.indexOf('bomb');
    const span = originalSpan(n, at, at + 4);
    expect(original.slice(span.start, span.end)).toBe('b.o.m.b');
    const c = n.compact.text.indexOf('now');
    const cs = originalSpan(n.compact, c, c + 3);
    expect(original.slice(cs.start, cs.end)).toBe('now');
  });

  it('keeps line breaks for line-anchored rules', () => {
    expect(normalizeForDetection('a\r\n### System').text).toBe('a\n\n### system');
  });
});
