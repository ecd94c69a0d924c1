/**
 * The train/validation split, by document: a document's place depends on its id alone, so the
 * same document lands in the same split in every version and on every machine.
 */
import { createHash } from 'node:crypto';

export type Split = 'train' | 'validation';

/** sha256(documentId) read as a big-endian uint32, mod 1000, below `fraction`×1000 → validation. */
export function splitOf(documentId: string, validationFraction: number): Split {
  const bucket = createHash('sha256').update(documentId).digest().readUInt32BE(0) % 1000;
  return bucket < Math.round(validationFraction * 1000) ? 'validation' : 'train';
}
