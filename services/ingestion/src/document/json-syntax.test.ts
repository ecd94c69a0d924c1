import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, parseJson, positionOf } from './json-syntax';

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a":}', 5],
    ['{"a":1', 6],
    ['[1,2,,3]', 5],
    ['{"content": "x" "y"}', 16],
    ['', 0],
    ['{"a":tru}', 8],
    ['{"a":"\\x"}', 7],
    ['{"a":"\\u12g4"}', 10],
    ['{"a":01}', 6],
    ['[1.]', 3],
    ['{"a":1}}', 7],
    ['{a:1}', 1],
    ['{"a":1,}', 7],
    ['"tab\there"', 4],
  ])('%j fails at %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonSyntaxError(text)).toBe(offset);
  });

  it('accepts everything JSON.stringify produces', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findJsonSyntaxError(JSON.stringify(value))).toBeUndefined();
        expect(findJsonSyntaxError(JSON.stringify(value, null, 2))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on truncated documents', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, cut) => {
        const text = JSON.stringify(value);
        const truncated = text.slice(0, cut % (text.length + 1));
        let valid = true;
        try {
          JSON.parse(truncated);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(truncated) === undefined).toBe(valid);
      }),
      { numRuns: 300 },
    );
  });

  it('survives deep nesting', () => {
    expect(findJsonSyntaxError('['.repeat(100_000) + ']'.repeat(100_000))).toBeUndefined();
    expect(findJsonSyntaxError('['.repeat(100_000))).toBe(100_000);
  });
});

describe('parseJson', () => {
  it('reports line, column and V8 reason without echoing the input', () => {
    const result = parseJson('{\n  "content": "x",\n  "mediaType": }');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.position).toEqual({ offset: 35, line: 3, column: 16 });
    expect(result.reason).toBe("Unexpected token '}'");
  });

  it('positionOf counts lines from 1', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ offset: 4, line: 2, column: 2 });
  });
});
