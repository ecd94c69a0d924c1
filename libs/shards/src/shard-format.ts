/**
 * The token shard file format (docs/shard-format.md). A shard is a 1024-byte header of 256
 * little-endian uint32 words followed by the tokens, uint16 when the vocabulary fits in
 * 65,536 ids, else uint32. Every document is preceded by the end-of-text token, so document
 * boundaries survive packing (the GPT-2 / llm.c convention).
 */
export const SHARD_MAGIC = 0x54435243; // "CRCT" read as little-endian bytes
export const SHARD_FORMAT_VERSION = 1;
export const HEADER_WORDS = 256;
export const HEADER_BYTES = HEADER_WORDS * 4;

export type TokenDtype = 'uint16' | 'uint32';

export interface ShardHeader {
  readonly formatVersion: number;
  readonly dtype: TokenDtype;
  readonly tokens: number;
  readonly documents: number;
  readonly eotToken: number;
}

export class ShardFormatError extends Error {
  readonly code = 'shard_format' as const;
  readonly retriable = false;
}

export const dtypeForVocab = (vocabSize: number): TokenDtype => (vocabSize <= 65_536 ? 'uint16' : 'uint32');
export const bytesPerToken = (dtype: TokenDtype): 2 | 4 => (dtype === 'uint16' ? 2 : 4);

export function encodeHeader(header: ShardHeader): Buffer {
  const words = new Uint32Array(HEADER_WORDS);
  words[0] = SHARD_MAGIC;
  words[1] = header.formatVersion;
  words[2] = bytesPerToken(header.dtype);
  words[3] = header.tokens % 2 ** 32;
  words[4] = Math.floor(header.tokens / 2 ** 32);
  words[5] = header.documents;
  words[6] = header.eotToken;
  return Buffer.from(words.buffer);
}

export function decodeHeader(bytes: Uint8Array): ShardHeader {
  if (bytes.byteLength < HEADER_BYTES) throw new ShardFormatError(`shard is shorter than its ${HEADER_BYTES}-byte header`);
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + HEADER_BYTES));
  if (words[0] !== SHARD_MAGIC) throw new ShardFormatError(`not a Crucible shard (magic 0x${words[0]!.toString(16)})`);
  if (words[1] !== SHARD_FORMAT_VERSION) {
    throw new ShardFormatError(`shard format version ${words[1]} is not supported (expected ${SHARD_FORMAT_VERSION})`);
  }
  const width = words[2];
  if (width !== 2 && width !== 4) throw new ShardFormatError(`unsupported token width ${width}`);
  return {
    formatVersion: words[1]!,
    dtype: width === 2 ? 'uint16' : 'uint32',
    tokens: words[3]! + words[4]! * 2 ** 32,
    documents: words[5]!,
    eotToken: words[6]!,
  };
}
