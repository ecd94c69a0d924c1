import { describe, expect, it } from 'vitest';
import { KvArrayPool, allocate, withCapacity } from './kv-cache';

describe('KvArrayPool', () => {
  it('hands a given array back zeroed for the same length, and a new one for another length', () => {
    const pool = new KvArrayPool(1024);
    const used = new Float32Array(8).fill(3);
    pool.give([used]);
    expect(pool.heldBytes).toBe(32);
    const again = pool.take(8);
    expect(again).toBe(used);
    expect([...again]).toEqual(new Array(8).fill(0));
    expect(pool.heldBytes).toBe(0);
    const other = pool.take(8);
    expect(other).not.toBe(used);
    expect(other).toHaveLength(8);
  });

  it('keeps at most maxBytes, dropping the sizes given back least recently', () => {
    const pool = new KvArrayPool(100);
    const [a, b, c, d] = [new Float32Array(8), new Float32Array(8), new Float32Array(4), new Float32Array(8)];
    pool.give([a, b]); // length 8: 64 bytes
    pool.give([c]); // length 4: 16 bytes
    pool.give([d]); // length 8 again, now the most recent size: 112 bytes > 100, so length 4 goes
    expect(pool.heldBytes).toBe(96);
    expect(pool.take(4)).not.toBe(c);
    const taken = [pool.take(8), pool.take(8), pool.take(8)]; // the last given first
    taken.forEach((array, i) => expect(array).toBe([d, b, a][i]));
    expect(pool.heldBytes).toBe(0);
  });

  it('does not keep an array larger than the whole budget', () => {
    const pool = new KvArrayPool(16);
    pool.give([new Float32Array(8)]);
    expect(pool.heldBytes).toBe(0);
  });
});

describe('withCapacity', () => {
  const shape = { heads: 2, headDim: 3 };

  it('grows into pooled arrays, keeps the first columns, and gives the old arrays back', () => {
    const pool = new KvArrayPool(1 << 20);
    const cache = allocate(shape, 1, 1, 32, pool);
    cache.arrays[0]!.fill(1, 0, 3); // head 0, column 0
    const old = [...cache.arrays];
    const grown = withCapacity(shape, cache, 1, 33, pool);
    expect(grown.capacity).toBe(64);
    expect([...grown.arrays[0]!.subarray(0, 4)]).toEqual([1, 1, 1, 0]);
    expect(pool.heldBytes).toBe(old.reduce((k, a) => k + a.byteLength, 0));
    expect(withCapacity(shape, grown, 33, 64, pool)).toBe(grown);
  });
});
