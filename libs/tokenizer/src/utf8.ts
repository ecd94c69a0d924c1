/**
 * UTF-8 helpers for the hot path. A lone surrogate becomes U+FFFD (EF BF BD), exactly what
 * TextEncoder does, so ids agree with js-tiktoken and tiktoken on such input.
 */

/** Encodes `text` into `out` (which must hold 3 bytes per UTF-16 unit) and returns the byte count. */
export function encodeUtf8Into(text: string, out: Uint8Array): number {
  let n = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n++] = 0xf0 | (c >> 18);
        out[n++] = 0x80 | ((c >> 12) & 0x3f);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xef;
        out[n++] = 0xbf;
        out[n++] = 0xbd;
      }
    } else {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/**
 * Like encodeUtf8Into, and records for each byte the UTF-16 span [unitStart, unitEnd) of the
 * character it belongs to, so token byte ranges map back to source offsets.
 */
export function encodeUtf8WithSpans(
  text: string,
  out: Uint8Array,
  unitStart: Int32Array,
  unitEnd: Int32Array,
): number {
  let n = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const start = i;
    let c = text.charCodeAt(i);
    let width: number;
    if (c < 0x80) {
      out[n] = c;
      width = 1;
    } else if (c < 0x800) {
      out[n] = 0xc0 | (c >> 6);
      out[n + 1] = 0x80 | (c & 0x3f);
      width = 2;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out[n] = 0xf0 | (c >> 18);
        out[n + 1] = 0x80 | ((c >> 12) & 0x3f);
        out[n + 2] = 0x80 | ((c >> 6) & 0x3f);
        out[n + 3] = 0x80 | (c & 0x3f);
        width = 4;
      } else {
        out[n] = 0xef;
        out[n + 1] = 0xbf;
        out[n + 2] = 0xbd;
        width = 3;
      }
    } else {
      out[n] = 0xe0 | (c >> 12);
      out[n + 1] = 0x80 | ((c >> 6) & 0x3f);
      out[n + 2] = 0x80 | (c & 0x3f);
      width = 3;
    }
    for (let k = 0; k < width; k++) {
      unitStart[n + k] = start;
      unitEnd[n + k] = i + 1;
    }
    n += width;
  }
  return n;
}

/**
 * The bytes as a latin1 string (one char per byte): the compact Map key for byte strings.
 * Buffer's native latin1 slice avoids building the string char by char (a rope V8 must
 * flatten before hashing).
 */
export function latin1Key(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** True when every UTF-16 unit is ASCII: then the string is its own latin1 byte key. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}
