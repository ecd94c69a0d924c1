/**
 * A checkpoint is a directory, so its sha256 is taken over a listing: for each file in name
 * order, `<name>\0<sha256 of its bytes>\n`. Same files, same digest, on any machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function checkpointDigest(dir: string): string {
  const listing = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const file = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
    listing.update(`${name}\u0000${file}\n`);
  }
  return listing.digest('hex');
}
