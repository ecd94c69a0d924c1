/**
 * Exact match after SQuAD v1.1's `normalize_answer` (the official evaluation script):
 * lowercase, drop ASCII punctuation (`string.punctuation`), drop the articles a/an/the as
 * whole words, collapse whitespace. A prediction matches when it equals any reference.
 */
import { pySplit } from '../text/python-text';

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python 3's \b is Unicode-aware (word characters are letters, digits and _), JavaScript's is ASCII-only.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

export function normalizeAnswer(text: string): string {
  const lowered = text.toLowerCase();
  const withoutPunctuation = Array.from(lowered)
    .filter((c) => !PUNCTUATION.has(c))
    .join('');
  return pySplit(withoutPunctuation.replace(ARTICLES, ' ')).join(' ');
}

export function exactMatch(prediction: string, references: readonly string[]): boolean {
  const p = normalizeAnswer(prediction);
  return references.some((r) => normalizeAnswer(r) === p);
}

/** Share of predictions (0–1) that match one of their references. */
export function exactMatchRate(predictions: readonly string[], references: readonly (readonly string[])[]): number {
  if (predictions.length !== references.length) throw new RangeError(`${predictions.length} predictions but ${references.length} reference lists`);
  if (predictions.length === 0) return 0;
  return predictions.filter((p, i) => exactMatch(p, references[i]!)).length / predictions.length;
}
