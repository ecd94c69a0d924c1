/** Builds the `DedupEntry` of a cleaned document: content hash plus MinHash signature and band keys. */
import { createHash } from 'node:crypto';
import type { DedupEntry } from './dedup-index';
import { bandKeys, minhashSignature, type MinHashOptions } from './minhash';

export interface DedupEntryOptions {
  /** When false, identical texts under different ids are not matched (hash is made unique per id). */
  readonly exact: boolean;
  readonly near: boolean;
  readonly minhash: MinHashOptions;
}

/** `sha1:` of the UTF-8 text; SHA-1 is native, fast and collision-safe enough for dedup keys. */
export const contentHash = (text: string): string => `sha1:${createHash('sha1').update(text).digest('hex')}`;

export function dedupEntry(id: string, text: string, options: DedupEntryOptions): DedupEntry {
  const hash = options.exact ? contentHash(text) : `id:${id}`;
  if (!options.near) return { id, contentHash: hash, signature: null, bandKeys: [] };
  const signature = minhashSignature(text, options.minhash);
  // No shingles (no words): every position stays at the sentinel and would match every other empty text.
  if (signature.every((v) => v === 0xffffffff)) return { id, contentHash: hash, signature: null, bandKeys: [] };
  return { id, contentHash: hash, signature, bandKeys: bandKeys(signature, options.minhash) };
}
