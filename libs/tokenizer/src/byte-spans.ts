/**
 * For each UTF-8 byte of a string, the UTF-16 span of the character it encodes: how token
 * byte ranges are mapped back to source offsets (see the convention in tokenizer.ts).
 */
import { encodeUtf8WithSpans } from './utf8';

export interface ByteSpans {
  readonly length: number;
  readonly unitStart: Int32Array;
  readonly unitEnd: Int32Array;
}

export function byteSpansOf(text: string): ByteSpans {
  const capacity = text.length * 3;
  const unitStart = new Int32Array(capacity);
  const unitEnd = new Int32Array(capacity);
  const length = encodeUtf8WithSpans(text, new Uint8Array(capacity), unitStart, unitEnd);
  return { length, unitStart, unitEnd };
}
