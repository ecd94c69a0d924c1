import { describe, expect, it } from 'vitest';
import { HEADER_BYTES, ShardFormatError, decodeShard, documentsOf, dtypeForVocab, packShard } from './index';

describe('shards', () => {
  it('packs documents with a leading EOT and reads them back', () => {
    const bytes = packShard([[1, 2, 3], [4], []], 'uint16', 0);
    expect(bytes.byteLength).toBe(HEADER_BYTES + 7 * 2);
    const shard = decodeShard(bytes);
    expect(shard.header).toMatchObject({ dtype: 'uint16', tokens: 7, documents: 3, eotToken: 0 });
    expect([...shard.tokens]).toEqual([0, 1, 2, 3, 0, 4, 0]);
    expect(documentsOf(shard).map((d) => [...d])).toEqual([[1, 2, 3], [4], []]);
  });

  it('uses uint32 for large vocabularies and refuses tokens that do not fit', () => {
    expect(dtypeForVocab(50_257)).toBe('uint16');
    expect(dtypeForVocab(100_277)).toBe('uint32');
    expect(decodeShard(packShard([[70_000]], 'uint32', 100_000)).tokens[1]).toBe(70_000);
    expect(() => packShard([[70_000]], 'uint16', 0)).toThrow(ShardFormatError);
  });

  it('rejects a truncated shard and a foreign file', () => {
    const bytes = packShard([[1, 2, 3]], 'uint16', 0);
    expect(() => decodeShard(bytes.subarray(0, bytes.length - 2))).toThrow(/header promises/);
    expect(() => decodeShard(Buffer.alloc(2048))).toThrow(/not a Crucible shard/);
  });
});
