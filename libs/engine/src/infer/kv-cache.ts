/**
 * The KV cache of a decoding batch, kept in JS memory between steps: per layer a key and a
 * value array laid out (B, H, capacity, hd), of which columns [0, length) hold data. The
 * decoder graph reads the arrays in place (ORT wraps a CPU tensor's buffer without copying)
 * and returns only the new tokens' keys and values, which are written here. Capacity grows in
 * chunks, so the cache is copied once per CHUNK steps instead of every step; the unused columns
 * are masked out of attention. Arrays a batch no longer needs go back to a KvArrayPool for the
 * next batch of the same shape.
 */
export const CHUNK = 32;

export interface CacheShape {
  /** Heads. */
  readonly heads: number;
  /** Head dimension. */
  readonly headDim: number;
}

export interface KvArrays {
  readonly batch: number;
  readonly capacity: number;
  /** 2·nLayer arrays, [key₀, value₀, key₁, …], each (batch, H, capacity, hd). */
  readonly arrays: Float32Array[];
}

export const capacityFor = (columns: number): number => Math.max(CHUNK, Math.ceil(columns / CHUNK) * CHUNK);

/**
 * Zeroed cache arrays, recycled. A request's cache is ~3 MB at the `small` preset (it regrows
 * every CHUNK columns), and a continuous batch copies its whole cache whenever a row joins or
 * leaves. V8 counts ArrayBuffer memory against its old-generation limit until a mark-compact
 * frees it, so a decode loop allocating fresh arrays ran a full collection every ~2 requests
 * on the serving engine thread, pausing decoding each time. Kept by exact length (a batch's
 * shapes repeat: the same capacities, the same batch sizes), up to `maxBytes` in all; the sizes
 * given back least recently go first.
 */
export class KvArrayPool {
  private readonly free = new Map<number, Float32Array[]>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.bytes;
  }

  take(length: number): Float32Array {
    const list = this.free.get(length);
    const array = list?.pop();
    if (!array) return new Float32Array(length);
    this.bytes -= array.byteLength;
    if (list!.length === 0) this.free.delete(length);
    return array.fill(0);
  }

  /** The arrays must not be used again by the caller. */
  give(arrays: readonly Float32Array[]): void {
    for (const array of arrays) {
      if (array.byteLength > this.maxBytes) continue;
      const list = this.free.get(array.length) ?? [];
      this.free.delete(array.length); // re-inserted last: the most recently given size
      this.free.set(array.length, list);
      list.push(array);
      this.bytes += array.byteLength;
    }
    for (const [length, list] of this.free) {
      if (this.bytes <= this.maxBytes) break;
      while (list.length > 0 && this.bytes > this.maxBytes) this.bytes -= list.pop()!.byteLength;
      if (list.length === 0) this.free.delete(length);
    }
  }
}

const unpooled: Pick<KvArrayPool, 'take'> = { take: (length) => new Float32Array(length) };

export function allocate(shape: CacheShape, layers: number, batch: number, capacity: number, pool: Pick<KvArrayPool, 'take'> = unpooled): KvArrays {
  const size = batch * shape.heads * capacity * shape.headDim;
  return { batch, capacity, arrays: Array.from({ length: 2 * layers }, () => pool.take(size)) };
}

/**
 * Copies column ranges of `from`'s rows into `into`: for each row pair (source row, target
 * row) and each [start, end, to) column move. The caller sizes `into`.
 */
export function copyColumns(
  shape: CacheShape,
  from: KvArrays,
  into: KvArrays,
  rows: readonly (readonly [number, number])[],
  moves: readonly (readonly [number, number, number])[],
): void {
  const { heads: H, headDim: hd } = shape;
  from.arrays.forEach((src, i) => {
    const dst = into.arrays[i]!;
    for (const [r, target] of rows) {
      for (let h = 0; h < H; h++) {
        const fromBase = (r * H + h) * from.capacity * hd;
        const toBase = (target * H + h) * into.capacity * hd;
        for (const [start, end, to] of moves) {
          if (end > start) dst.set(src.subarray(fromBase + start * hd, fromBase + end * hd), toBase + to * hd);
        }
      }
    }
  });
}

/** Zeroes columns [start, end) of the given rows. */
export function zeroColumns(shape: CacheShape, cache: KvArrays, rows: readonly number[], start: number, end: number): void {
  if (end <= start) return;
  const { heads: H, headDim: hd } = shape;
  for (const array of cache.arrays) {
    for (const r of rows) {
      for (let h = 0; h < H; h++) {
        const base = (r * H + h) * cache.capacity * hd;
        array.fill(0, base + start * hd, base + end * hd);
      }
    }
  }
}

/** Writes the new tokens' keys and values (B, H, T, hd) per array into columns [at, at + T). */
export function writeNew(shape: CacheShape, cache: KvArrays, fresh: readonly Float32Array[], at: number, T: number): void {
  const { heads: H, headDim: hd } = shape;
  cache.arrays.forEach((dst, i) => {
    const src = fresh[i]!;
    for (let bh = 0; bh < cache.batch * H; bh++) dst.set(src.subarray(bh * T * hd, (bh + 1) * T * hd), (bh * cache.capacity + at) * hd);
  });
}

/**
 * The same rows with room for at least `columns` columns (the first `length` kept); when it
 * grows, the old arrays go back to the pool.
 */
export function withCapacity(shape: CacheShape, cache: KvArrays, length: number, columns: number, pool: KvArrayPool): KvArrays {
  if (columns <= cache.capacity) return cache;
  const grown = allocate(shape, cache.arrays.length / 2, cache.batch, capacityFor(columns), pool);
  copyColumns(shape, cache, grown, rowPairs(cache.batch), [[0, length, 0]]);
  pool.give(cache.arrays);
  return grown;
}

export const rowPairs = (batch: number): [number, number][] => Array.from({ length: batch }, (_, b) => [b, b]);
