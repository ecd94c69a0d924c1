/**
 * The KV cache of a decoding batch, kept in JS memory between steps: per layer a key and a
 * value array laid out (B, H, capacity, hd), of which columns [0, length) hold data. The
 * decoder graph reads the arrays in place (ORT wraps a CPU tensor's buffer without copying)
 * and returns only the new tokens' keys and values, which are written here. Capacity grows in
 * chunks, so the cache is copied once per CHUNK steps instead of every step; the unused columns
 * are masked out of attention.
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

export function allocate(shape: CacheShape, layers: number, batch: number, capacity: number): KvArrays {
  const size = batch * shape.heads * capacity * shape.headDim;
  return { batch, capacity, arrays: Array.from({ length: 2 * layers }, () => new Float32Array(size)) };
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

/** Writes the new tokens' keys and values (B, H, T, hd) per array into columns [at, at + T). */
export function writeNew(shape: CacheShape, cache: KvArrays, fresh: readonly Float32Array[], at: number, T: number): void {
  const { heads: H, headDim: hd } = shape;
  cache.arrays.forEach((dst, i) => {
    const src = fresh[i]!;
    for (let bh = 0; bh < cache.batch * H; bh++) dst.set(src.subarray(bh * T * hd, (bh + 1) * T * hd), (bh * cache.capacity + at) * hd);
  });
}

/** The same rows with room for at least `columns` columns (the first `length` kept). */
export function withCapacity(shape: CacheShape, cache: KvArrays, length: number, columns: number): KvArrays {
  if (columns <= cache.capacity) return cache;
  const grown = allocate(shape, cache.arrays.length / 2, cache.batch, capacityFor(columns));
  copyColumns(shape, cache, grown, rowPairs(cache.batch), [[0, length, 0]]);
  return grown;
}

export const rowPairs = (batch: number): [number, number][] => Array.from({ length: batch }, (_, b) => [b, b]);
