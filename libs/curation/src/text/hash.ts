/**
 * Fast non-cryptographic 32-bit hashing for shingles and LSH bands: MurmurHash3's
 * finaliser (`fmix32`, a bijection on 32-bit integers with full avalanche) and an
 * FNV-1a-then-fmix string hash over UTF-16 code units.
 */

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h ^ s.length);
}

/** Deterministic 32-bit parameters from a seed (splitmix32), so every process derives the same hash family. */
export function seededUint32s(seed: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    out[i] = fmix32(s);
  }
  return out;
}
