/** Writing and reading shard files; see shard-format.ts for the layout. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import {
  HEADER_BYTES,
  SHARD_FORMAT_VERSION,
  ShardFormatError,
  type ShardHeader,
  type TokenDtype,
  bytesPerToken,
  decodeHeader,
  encodeHeader,
} from './shard-format';

export interface Shard {
  readonly header: ShardHeader;
  /** Tokens as stored: Uint16Array or Uint32Array over the file's bytes. */
  readonly tokens: Uint16Array | Uint32Array;
}

/** Packs documents (already-encoded token arrays) into shard bytes, each preceded by EOT. */
export function packShard(documents: readonly ArrayLike<number>[], dtype: TokenDtype, eotToken: number): Buffer {
  const total = documents.reduce((n, d) => n + d.length + 1, 0);
  const limit = dtype === 'uint16' ? 0xffff : 0xffffffff;
  const body = dtype === 'uint16' ? new Uint16Array(total) : new Uint32Array(total);
  let at = 0;
  for (const document of documents) {
    body[at++] = eotToken;
    for (let i = 0; i < document.length; i++) {
      const token = document[i]!;
      if (token < 0 || token > limit || !Number.isInteger(token)) {
        throw new ShardFormatError(`token ${token} does not fit ${dtype}`);
      }
      body[at++] = token;
    }
  }
  const header = encodeHeader({ formatVersion: SHARD_FORMAT_VERSION, dtype, tokens: total, documents: documents.length, eotToken });
  return Buffer.concat([header, Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
}

/** Writes atomically (temp file + rename) so a crash never leaves a torn shard; returns its sha256. */
export function writeShardFile(path: string, bytes: Buffer): string {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
  return createHash('sha256').update(bytes).digest('hex');
}

export function decodeShard(bytes: Uint8Array): Shard {
  const header = decodeHeader(bytes);
  const width = bytesPerToken(header.dtype);
  const expected = HEADER_BYTES + header.tokens * width;
  if (bytes.byteLength !== expected) {
    throw new ShardFormatError(`shard has ${bytes.byteLength} bytes; its header promises ${expected}`);
  }
  // Copy so the typed array is aligned regardless of the Buffer pool's offset.
  const body = bytes.slice(HEADER_BYTES);
  const tokens = header.dtype === 'uint16'
    ? new Uint16Array(body.buffer, body.byteOffset, header.tokens)
    : new Uint32Array(body.buffer, body.byteOffset, header.tokens);
  return { header, tokens };
}

export const readShardFile = (path: string): Shard => decodeShard(readFileSync(path));

/** Splits a shard's tokens back into documents (without their leading EOT). */
export function documentsOf(shard: Shard): (Uint16Array | Uint32Array)[] {
  const { tokens, header } = shard;
  const documents: (Uint16Array | Uint32Array)[] = [];
  let start = -1;
  for (let i = 0; i <= tokens.length; i++) {
    if (i === tokens.length || tokens[i] === header.eotToken) {
      if (start >= 0) documents.push(tokens.subarray(start + 1, i));
      start = i;
    }
  }
  return documents;
}
