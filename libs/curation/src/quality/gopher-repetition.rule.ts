/**
 * Gopher repetition rules (Rae et al. 2021, table A1; defaults and reason names as in
 * datatrove's `GopherRepetitionFilter`): duplicate paragraph and line fractions (by count
 * and by characters), the share of characters covered by the most frequent 2/3/4-gram, and
 * the share of characters in duplicated 5..10-grams.
 *
 * n-grams are identified by exact interned ids (NGramIds) instead of joined strings: the
 * same counts as datatrove without allocating a string per n-gram.
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

/**
 * Exact n-gram ids for one document, without hashing: the id of the n-gram at i is the
 * interned pair (id of the (n−1)-gram at i, id of word i+n−1). Ids are dense and assigned
 * in order of first occurrence, so counts fit in typed arrays and "first seen" is "lowest id".
 */
export class NGramIds {
  private readonly levels: Int32Array[] = [];
  private readonly sizes: number[] = [];
  /** prefixChars[i] = total length of words[0..i). */
  private readonly prefixChars: Float64Array;

  constructor(words: readonly string[]) {
    const dict = new Map<string, number>();
    const ids = new Int32Array(words.length);
    this.prefixChars = new Float64Array(words.length + 1);
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let id = dict.get(w);
      if (id === undefined) {
        id = dict.size;
        dict.set(w, id);
      }
      ids[i] = id;
      this.prefixChars[i + 1] = this.prefixChars[i]! + w.length;
    }
    this.levels[1] = ids;
    this.sizes[1] = dict.size;
  }

  get wordCount(): number {
    return this.levels[1]!.length;
  }

  /** Ids of the n-grams starting at 0..len−n, and how many distinct ones there are. */
  level(n: number): { ids: Int32Array; distinct: number } {
    for (let k = this.levels.length; k <= n; k++) {
      const prev = this.levels[k - 1]!;
      const words = this.levels[1]!;
      const vocab = this.sizes[1]!;
      const len = Math.max(0, words.length - k + 1);
      const cur = new Int32Array(len);
      const intern = new Map<number, number>();
      for (let i = 0; i < len; i++) {
        const key = prev[i]! * vocab + words[i + k - 1]!;
        let id = intern.get(key);
        if (id === undefined) {
          id = intern.size;
          intern.set(key, id);
        }
        cur[i] = id;
      }
      this.levels[k] = cur;
      this.sizes[k] = intern.size;
    }
    return { ids: this.levels[n]!, distinct: this.sizes[n]! };
  }

  /** Characters of the words of the n-gram at i (without separators). */
  chars(i: number, n: number): number {
    return this.prefixChars[i + n]! - this.prefixChars[i]!;
  }
}

/** Characters covered by the most frequent n-gram (count × its " "-joined length). */
export function topNGramChars(grams: NGramIds, n: number): number {
  const { ids, distinct } = grams.level(n);
  if (ids.length === 0) return 0;
  const counts = new Int32Array(distinct);
  const firstAt = new Int32Array(distinct);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (counts[id] === 0) firstAt[id] = i;
    counts[id]!++;
  }
  // Ties go to the n-gram seen first (lowest id), as Counter.most_common(1) does.
  let best = 0;
  for (let id = 1; id < distinct; id++) if (counts[id]! > counts[best]!) best = id;
  return (grams.chars(firstAt[best]!, n) + n - 1) * counts[best]!;
}

/** Characters in duplicated n-grams, skipping past each duplicate (datatrove's find_all_duplicate). */
export function duplicatedNGramChars(grams: NGramIds, n: number): number {
  const { ids, distinct } = grams.level(n);
  const seen = new Uint8Array(distinct);
  let repeated = 0;
  let i = 0;
  while (i < ids.length) {
    const id = ids[i]!;
    if (seen[id] === 1) {
      repeated += grams.chars(i, n);
      i += n;
    } else {
      seen[id] = 1;
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
  const grams = new NGramIds(words ?? splitWords(text));
  for (const [n, frac] of o.topNGrams) {
    if (grams.wordCount < n) continue;
    const chars = topNGramChars(grams, n);
    if (chars / text.length > frac) return reject(`top_${n}_gram`, { fraction: chars / text.length });
  }
  for (const [n, frac] of o.dupNGrams) {
    const chars = duplicatedNGramChars(grams, n);
    if (chars / text.length > frac) return reject(`duplicated_${n}_n_grams`, { fraction: chars / text.length });
  }
  return null;
}
