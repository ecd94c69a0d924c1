/**
 * Gopher repetition rules (Rae et al. 2021, table A1; defaults and reason names as in
 * datatrove's `GopherRepetitionFilter`): duplicate paragraph and line fractions (by count
 * and by characters), the share of characters covered by the most frequent 2/3/4-gram, and
 * the share of characters in duplicated 5..10-grams.
 *
 * n-grams are keyed by a 53-bit hash of per-document word ids instead of joined strings:
 * the same counts as datatrove without allocating a string per n-gram.
 */
import { reject, type RuleVerdict } from '../document';
import { splitWords } from '../text/words';

export interface GopherRepetitionOptions {
  readonly dupLineFrac: number | null;
  readonly dupParaFrac: number | null;
  readonly dupLineCharFrac: number | null;
  readonly dupParaCharFrac: number | null;
  /** [n, max fraction of characters covered by the most frequent n-gram]. */
  readonly topNGrams: readonly (readonly [number, number])[];
  /** [n, max fraction of characters in duplicated n-grams]. */
  readonly dupNGrams: readonly (readonly [number, number])[];
}

export const GOPHER_REPETITION_DEFAULTS: GopherRepetitionOptions = Object.freeze({
  dupLineFrac: 0.3,
  dupParaFrac: 0.3,
  dupLineCharFrac: 0.2,
  dupParaCharFrac: 0.2,
  topNGrams: [
    [2, 0.2],
    [3, 0.18],
    [4, 0.16],
  ] as const,
  dupNGrams: [
    [5, 0.15],
    [6, 0.14],
    [7, 0.13],
    [8, 0.12],
    [9, 0.11],
    [10, 0.1],
  ] as const,
});

/** Number of repeated elements and the characters they hold (first occurrences excluded). */
export function findDuplicates(items: readonly string[]): { elements: number; chars: number } {
  const seen = new Set<string>();
  let elements = 0;
  let chars = 0;
  for (const x of items) {
    if (seen.has(x)) {
      elements++;
      chars += x.length;
    } else seen.add(x);
  }
  return { elements, chars };
}

/** Word ids (equal words, equal ids) and word lengths for one document. */
function wordIds(words: readonly string[]): { ids: Int32Array; lengths: Int32Array } {
  const dict = new Map<string, number>();
  const ids = new Int32Array(words.length);
  const lengths = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let id = dict.get(w);
    if (id === undefined) {
      id = dict.size;
      dict.set(w, id);
    }
    ids[i] = id;
    lengths[i] = w.length;
  }
  return { ids, lengths };
}

// 53-bit key of ids[i..i+n): two independent 32-bit multiplicative hashes.
function ngramKey(ids: Int32Array, i: number, n: number): number {
  let a = 0x811c9dc5 | 0;
  let b = n | 0;
  for (let k = i; k < i + n; k++) {
    const id = ids[k]!;
    a = Math.imul(a ^ id, 0x01000193);
    b = Math.imul(b ^ (id + 0x9e3779b9), 0x85ebca6b);
    b ^= b >>> 13;
  }
  return (a >>> 0) * 2097152 + (b >>> 11);
}

/** Characters covered by the most frequent n-gram (count × its " "-joined length). */
export function topNGramChars(ids: Int32Array, lengths: Int32Array, n: number): number {
  const counts = new Map<number, number>();
  const first = new Map<number, number>();
  let bestCount = 0;
  for (let i = 0; i + n <= ids.length; i++) {
    const key = ngramKey(ids, i, n);
    const c = counts.get(key);
    if (c === undefined) {
      counts.set(key, 1);
      first.set(key, i);
      if (bestCount === 0) bestCount = 1;
    } else {
      counts.set(key, c + 1);
      if (c + 1 > bestCount) bestCount = c + 1;
    }
  }
  if (bestCount === 0) return 0;
  // Ties go to the n-gram seen first, as Counter.most_common(1) does (Maps iterate in insertion order).
  let best = 0;
  for (const [key, c] of counts) {
    if (c === bestCount) {
      best = first.get(key)!;
      break;
    }
  }
  let len = n - 1;
  for (let k = best; k < best + n; k++) len += lengths[k]!;
  return len * bestCount;
}

/** Characters in duplicated n-grams, skipping past each duplicate (datatrove's find_all_duplicate). */
export function duplicatedNGramChars(ids: Int32Array, lengths: Int32Array, n: number): number {
  const seen = new Set<number>();
  let repeated = 0;
  let i = 0;
  while (i < ids.length - n + 1) {
    const key = ngramKey(ids, i, n);
    if (seen.has(key)) {
      for (let k = i; k < i + n; k++) repeated += lengths[k]!;
      i += n;
    } else {
      seen.add(key);
      i++;
    }
  }
  return repeated;
}

/** Applies the Gopher repetition rules; `words` may be passed when already split. */
export function gopherRepetition(
  text: string,
  options: GopherRepetitionOptions = GOPHER_REPETITION_DEFAULTS,
  words?: readonly string[],
): RuleVerdict {
  const o = options;
  if (text.length === 0) return reject('empty');
  const paragraphs = text.trim().split(/\n{2,}/);
  const para = findDuplicates(paragraphs);
  if (o.dupParaFrac && para.elements / paragraphs.length > o.dupParaFrac)
    return reject('dup_para_frac', { fraction: para.elements / paragraphs.length });
  if (o.dupParaCharFrac && para.chars / text.length > o.dupParaCharFrac)
    return reject('dup_para_char_frac', { fraction: para.chars / text.length });
  const lines = text.split(/\n+/);
  const line = findDuplicates(lines);
  if (o.dupLineFrac && line.elements / lines.length > o.dupLineFrac)
    return reject('dup_line_frac', { fraction: line.elements / lines.length });
  if (o.dupLineCharFrac && line.chars / text.length > o.dupLineCharFrac)
    return reject('dup_line_char_frac', { fraction: line.chars / text.length });
  const { ids, lengths } = wordIds(words ?? splitWords(text));
  for (const [n, frac] of o.topNGrams) {
    if (ids.length < n) continue;
    const chars = topNGramChars(ids, lengths, n);
    if (chars / text.length > frac) return reject(`top_${n}_gram`, { fraction: chars / text.length });
  }
  for (const [n, frac] of o.dupNGrams) {
    const chars = duplicatedNGramChars(ids, lengths, n);
    if (chars / text.length > frac) return reject(`duplicated_${n}_n_grams`, { fraction: chars / text.length });
  }
  return null;
}
