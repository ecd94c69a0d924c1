/**
 * Bytes to a JavaScript string, with the encoding made explicit and nothing guessed.
 *
 * Order of evidence (the WHATWG Encoding "decode" algorithm, minus sniffing):
 *   1. a byte-order mark wins: UTF-8 (EF BB BF), UTF-16LE (FF FE), UTF-16BE (FE FF); the BOM is dropped;
 *   2. else a declared charset (Content-Type `charset=`) decodes, WHATWG labels: `latin1`,
 *      `iso-8859-1`, `ascii` and `us-ascii` mean windows-1252, as browsers treat them;
 *   3. else the bytes must be valid UTF-8. Invalid UTF-8 is rejected with the byte offset of the
 *      first bad sequence, never repaired into U+FFFD, so a mislabeled legacy file is reported
 *      instead of silently corrupted; the caller can resend it with its real charset.
 * Legacy charsets go through iconv-lite: Node 20's TextDecoder decodes windows-1252 as ISO-8859-1
 * (0x93 becomes U+0093, not “).
 */
import { UnsupportedMediaTypeError, ValidationError } from '@crucible/contracts';
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';

export type DecodedVia = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | `charset:${string}`;

export interface DecodedText {
  readonly text: string;
  readonly via: DecodedVia;
}

const WINDOWS_1252_ALIASES = new Set(['latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'ascii', 'us-ascii', 'cp1252', 'windows-1252']);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);
const UTF16LE_LABELS = new Set(['utf-16le', 'utf-16', 'ucs-2', 'unicode']);

/** Decodes `bytes` per the rules above; `path` prefixes the issue of a rejection. */
export function decodeText(bytes: Uint8Array, charset?: string, path: readonly (string | number)[] = []): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: strictUtf8(buffer.subarray(3), path, 3), via: 'utf-8-bom' };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { text: utf16(buffer.subarray(2), 'le', path), via: 'utf-16le-bom' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { text: utf16(buffer.subarray(2), 'be', path), via: 'utf-16be-bom' };

  const label = charset?.trim().toLowerCase();
  if (!label || UTF8_LABELS.has(label)) return { text: strictUtf8(buffer, path, 0), via: 'utf-8' };
  if (UTF16LE_LABELS.has(label)) return { text: utf16(buffer, 'le', path), via: `charset:${label}` };
  if (label === 'utf-16be') return { text: utf16(buffer, 'be', path), via: `charset:${label}` };
  const encoding = WINDOWS_1252_ALIASES.has(label) ? 'windows-1252' : label;
  if (!iconv.encodingExists(encoding)) throw new UnsupportedMediaTypeError(`charset=${charset}`);
  return { text: iconv.decode(buffer, encoding, { stripBOM: false }), via: `charset:${label}` };
}

function strictUtf8(buffer: Buffer, path: readonly (string | number)[], skipped: number): string {
  if (isUtf8(buffer)) return buffer.toString('utf8');
  const offset = firstInvalidUtf8Offset(buffer);
  throw new ValidationError(
    `content is not valid UTF-8 (byte 0x${(buffer[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset + skipped}); declare the real charset, e.g. charset=windows-1252`,
    [{ path: [...path], message: `invalid UTF-8 at byte offset ${offset + skipped}` }],
    'invalid_document',
  );
}

function utf16(buffer: Buffer, order: 'le' | 'be', path: readonly (string | number)[]): string {
  if (buffer.length % 2 !== 0) {
    throw new ValidationError(`UTF-16 content has an odd number of bytes (${buffer.length})`, [
      { path: [...path], message: 'truncated UTF-16: odd byte count' },
    ], 'invalid_document');
  }
  try {
    return new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(buffer);
  } catch {
    throw new ValidationError(`UTF-16${order.toUpperCase()} content has an unpaired surrogate`, [
      { path: [...path], message: 'invalid UTF-16: unpaired surrogate' },
    ], 'invalid_document');
  }
}

/**
 * Offset of the first byte that starts an ill-formed UTF-8 sequence (Unicode 15, table 3-7:
 * no overlongs, no surrogates, nothing above U+10FFFF). Only called once `isUtf8` said no.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
