import { documentsOf, readShardFile } from '@crucible/shards';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShardPacker } from './shard-packer';

describe('ShardPacker', () => {
  it('cuts shards at the token limit without splitting documents; an oversize document gets its own shard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crucible-packer-'));
    const packer = new ShardPacker('train', dir, 'uint16', 9, 6);
    const documents = [[1, 2], [3], [4, 5, 6, 7, 8, 1, 2], [3, 4], []];
    for (const d of documents) packer.add(d);
    packer.flush();
    // Sizes with the leading EOT: 3, 2 | 8 | 3, 1.
    expect(packer.shards.map((s) => [s.path, s.tokens, s.documents])).toEqual([
      ['train-00000.bin', 5, 2],
      ['train-00001.bin', 8, 1],
      ['train-00002.bin', 4, 2],
    ]);
    expect(packer.tokens).toBe(17);
    expect(packer.documents).toBe(5);
    const read = packer.shards.flatMap((s) => {
      expect(createHash('sha256').update(readFileSync(join(dir, s.path))).digest('hex')).toBe(s.sha256);
      return documentsOf(readShardFile(join(dir, s.path))).map((d) => [...d]);
    });
    expect(read).toEqual(documents);
  });

  it('refuses a token that does not fit the shard width', () => {
    const packer = new ShardPacker('train', mkdtempSync(join(tmpdir(), 'crucible-packer-')), 'uint16', 0, 100);
    expect(() => packer.add([1, 70_000])).toThrow(/does not fit uint16/);
  });

  it('writes nothing for an empty split', () => {
    const packer = new ShardPacker('validation', mkdtempSync(join(tmpdir(), 'crucible-packer-')), 'uint32', 0, 100);
    packer.flush();
    expect(packer.shards).toEqual([]);
  });
});
