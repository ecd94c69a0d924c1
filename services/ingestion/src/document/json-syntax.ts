/**
 * Where a JSON text stops being JSON (RFC 8259). V8's `JSON.parse` messages only sometimes
 * carry a position ("Unexpected token '}', ... is not valid JSON" does not), and callers of
 * `POST /v1/documents` need one, so on a parse failure this scanner finds the offset of the
 * first offending character. Iterative, so deeply nested input cannot overflow the stack.
 */

export interface JsonPosition {
  /** 0-based UTF-16 index into the text. */
  readonly offset: number;
  /** 1-based line and column, as editors show them. */
  readonly line: number;
  readonly column: number;
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** Offset of the first syntax error in `text`, or `undefined` when it is valid JSON. */
export function findJsonSyntaxError(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const ws = (): void => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(i + k))) {
              i += k;
              return false;
            }
          }
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  const digits = (): boolean => {
    if (!isDigit(text.charCodeAt(i))) return false;
    while (isDigit(text.charCodeAt(i))) i++;
    return true;
  };
  const number = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return false;
    }
    return true;
  };
  const literal = (word: string): boolean => {
    for (const ch of word) {
      if (text[i] !== ch) return false;
      i++;
    }
    return true;
  };
  const key = (): boolean => {
    if (!string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  };

  for (;;) {
    ws();
    const ch = text[i];
    let complete = true;
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') i++;
      else {
        stack.push('{');
        if (!key()) return i;
        complete = false;
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') i++;
      else {
        stack.push('[');
        complete = false;
      }
    } else if (ch === '"') {
      if (!string()) return i;
    } else if (ch === 't' || ch === 'f' || ch === 'n') {
      if (!literal(ch === 't' ? 'true' : ch === 'f' ? 'false' : 'null')) return i;
    } else if (ch === '-' || (ch !== undefined && isDigit(ch.charCodeAt(0)))) {
      if (!number()) return i;
    } else return i;
    if (!complete) continue;

    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      const c = text[i];
      if (c === ',') {
        i++;
        if (top === '{') {
          ws();
          if (!key()) return i;
        }
        break;
      }
      if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        i++;
        stack.pop();
        continue;
      }
      return i;
    }
  }
}

export function positionOf(text: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text.charCodeAt(k) === 0x0a) {
      line++;
      lineStart = k + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** `JSON.parse`, or a description of where and why it failed. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; position: JsonPosition; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const offset = findJsonSyntaxError(text) ?? text.length;
    // V8's own wording names the problem; drop its echo of the (possibly huge) input.
    const reason = (error as Error).message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    return { ok: false, position: positionOf(text, offset), reason };
  }
}
