/**
 * MinHash signatures and LSH band keys (Broder 1997; Leskovec et al., "Mining of Massive
 * Datasets" ch. 3), configured like datatrove's MinhashDedup: text simplified (lower case,
 * numbers → 0, punctuation → space, diacritics removed), 5-word shingles, 14 bands × 8 rows
 * = 112 hashes. Two documents become candidates when all 8 values of any band agree
 * (threshold ≈ (1/14)^(1/8) ≈ 0.72 Jaccard). Hashes are 32-bit: shingle = fmix-chained word
 * hashes, permutation i = fmix32(shingle ⊕ seed_i) — integer mixing, cheaper than
 * datatrove's (a·x + b) mod (2^61 − 1) and just as min-wise for this use.
 */
import { PUNCTUATION_SET } from '../text/punctuation';
import { fmix32, hashString, seededUint32s } from '../text/hash';

export interface MinHashOptions {
  readonly ngram: number;
  readonly bands: number;
  readonly rows: number;
  readonly seed: number;
}

export const MINHASH_DEFAULTS: MinHashOptions = Object.freeze({ ngram: 5, bands: 14, rows: 8, seed: 1 });

const NUMBERS = /\p{Nd}+(?:[.,،٫⎖⎗⎘]\p{Nd}+)?/gu;
const PUNCT_CLASS = new RegExp(
  `[${[...PUNCTUATION_SET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`,
  'g',
);
const NON_ASCII = /[^\x00-\x7f]/;
const MARKS = /\p{Mn}/gu;

/** datatrove's `simplify_text` with its default TextNormConfig. */
export function simplifyText(text: string): string {
  let t = text.toLowerCase().replace(NUMBERS, '0').replace(PUNCT_CLASS, ' ');
  t = t.replace(/\s+/g, ' ').trim();
  if (NON_ASCII.test(t)) t = t.normalize('NFD').replace(MARKS, '');
  return t;
}

const paramsCache = new Map<number, Uint32Array>();
function permutationSeeds(seed: number, count: number): Uint32Array {
  const key = seed * 4096 + count;
  let p = paramsCache.get(key);
  if (!p) {
    p = seededUint32s(seed, count);
    paramsCache.set(key, p);
  }
  return p;
}

/** 32-bit shingle hashes of `ngram`-word windows (one shingle when shorter); repeats are harmless to a min. */
export function shingles(simplified: string, ngram: number): Uint32Array {
  const words = simplified.length === 0 ? [] : simplified.split(' ');
  const wh = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) wh[i] = hashString(words[i]!);
  const n = Math.min(ngram, words.length);
  const out = new Uint32Array(n === 0 ? 0 : words.length - n + 1);
  for (let i = 0; i < out.length; i++) {
    let h = n;
    for (let k = i; k < i + n; k++) h = fmix32(Math.imul(h, 0x9e3779b1) ^ wh[k]!);
    out[i] = h;
  }
  return out;
}

/** The `bands × rows` signature: for each permutation, the minimum over the shingles. */
export function minhashSignature(text: string, options: MinHashOptions = MINHASH_DEFAULTS): Uint32Array {
  const sh = shingles(simplifyText(text), options.ngram);
  const k = options.bands * options.rows;
  const seeds = permutationSeeds(options.seed, k);
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (let s = 0; s < sh.length; s++) {
    const x = sh[s]!;
    for (let i = 0; i < k; i++) {
      const v = fmix32(x ^ seeds[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/**
 * One integer key per band: band index in the top bits, a 48-bit hash of its rows below
 * (exact in a double, so keys are plain numbers in memory and INTEGER in SQLite).
 */
export function bandKeys(signature: Uint32Array, options: Pick<MinHashOptions, 'bands' | 'rows'> = MINHASH_DEFAULTS): number[] {
  const keys: number[] = [];
  for (let b = 0; b < options.bands; b++) {
    let h1 = 0x2545f491 ^ b;
    let h2 = 0x6c8e9cf5 ^ b;
    for (let r = b * options.rows; r < (b + 1) * options.rows; r++) {
      h1 = fmix32(Math.imul(h1, 0x9e3779b1) ^ signature[r]!);
      h2 = fmix32(Math.imul(h2, 0x85ebca77) + signature[r]!);
    }
    keys.push(b * 2 ** 48 + h1 * 65536 + (h2 & 0xffff));
  }
  return keys;
}

/** Estimated Jaccard similarity: the share of equal signature positions. */
export function signatureSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}
