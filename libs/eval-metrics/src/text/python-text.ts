/**
 * Python's `str.split()` and `str.rstrip()` with no argument, which the reference
 * implementations (sacrebleu, SQuAD) use: they split on the characters `str.isspace()` accepts,
 * a set that differs from JavaScript's `\s` (Python adds U+001C–U+001F and U+0085; JavaScript
 * adds U+FEFF). Matching it exactly keeps our token counts identical to theirs.
 */
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT = new RegExp(`[${PY_WHITESPACE}]+`);
const TRAILING = new RegExp(`[${PY_WHITESPACE}]+$`);

/** `text.split()`: runs of whitespace separate, no empty pieces. */
export function pySplit(text: string): string[] {
  return text.split(SPLIT).filter((piece) => piece.length > 0);
}

/** `text.rstrip()`. */
export const pyRstrip = (text: string): string => text.replace(TRAILING, '');

/** Code points, as Python indexes a `str` (JavaScript indexes UTF-16 units). */
export const codePoints = (text: string): string[] => Array.from(text);

/** Counts of each key, in first-seen order (like `collections.Counter`). */
export function countOf(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** The n-grams of `tokens` joined by a space (callers' tokens never contain one). */
export function* ngrams(tokens: readonly string[], n: number, joiner = ' '): Generator<string> {
  for (let i = 0; i + n <= tokens.length; i++) yield tokens.slice(i, i + n).join(joiner);
}
