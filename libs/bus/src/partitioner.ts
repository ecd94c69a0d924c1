/**
 * Key → partition, so records with one key stay in one partition and keep their order.
 * FNV-1a over the key's UTF-8 bytes: stable across processes and versions.
 */
export function partitionFor(key: string | null, partitions: number): number {
  if (partitions <= 1 || key === null) return 0;
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
