/**
 * Character trigrams as language-id features (Cavnar & Trenkle 1994; the same features as
 * franc/whatlang): lower-cased letters only, each word padded with one space on both sides,
 * so that word beginnings and endings (" th", "ed ") are trigrams of their own.
 *
 * A trigram is keyed by a small integer: each lower-cased letter gets a 10-bit symbol id
 * (space = 0, a–z = 1–26, other letters numbered as first seen, 1023 for overflow), and the
 * key is s1·2^20 + s2·2^10 + s3 < 2^30 — a V8 small integer, so counting allocates nothing.
 */

const LETTER = /\p{L}/u;
const SPACE = 0;
const OVERFLOW = 1023;
const SHIFT1 = 1 << 20;
const SHIFT2 = 1 << 10;

// code unit → symbol id (0 = not yet assigned, for non-ASCII) and symbol id → character.
const symbolOf = new Uint16Array(65536);
const charOf: string[] = [' '];
for (let c = 97; c <= 122; c++) {
  symbolOf[c] = c - 96;
  symbolOf[c - 32] = c - 96;
  charOf.push(String.fromCharCode(c));
}
const notLetter = new Uint8Array(65536);

function symbol(c: number, text: string, i: number): number {
  const s = symbolOf[c]!;
  if (s !== 0) return s;
  if (c < 0xc0 || notLetter[c] === 1 || c === 0xd7 || c === 0xf7) return -1;
  const ch = text[i]!;
  if (!LETTER.test(ch)) {
    notLetter[c] = 1;
    return -1;
  }
  const lower = ch.toLowerCase();
  const lc = lower.length === 1 ? lower.charCodeAt(0) : c;
  let id = symbolOf[lc]!;
  if (id === 0) {
    id = charOf.length < OVERFLOW ? charOf.length : OVERFLOW;
    if (id !== OVERFLOW) charOf.push(String.fromCharCode(lc));
    symbolOf[lc] = id;
  }
  symbolOf[c] = id;
  return id;
}

/** The numeric key of a three-character (lower-case, letters or space) string. */
export function trigramKey(g: string): number {
  const s = [0, 1, 2].map((i) => (g[i] === ' ' ? SPACE : symbol(g.charCodeAt(i), g, i)));
  return s.some((x) => x < 0) ? -1 : s[0]! * SHIFT1 + s[1]! * SHIFT2 + s[2]!;
}

/** The three-character string of a `trigramKey`. */
export const trigramString = (k: number): string =>
  (charOf[k >>> 20] ?? '?') + (charOf[(k >>> 10) & 1023] ?? '?') + (charOf[k & 1023] ?? '?');

/** Counts the trigrams of (at most `maxChars` of) `text`, keyed by `trigramKey`. */
export function countTrigrams(text: string, maxChars = Infinity): Map<number, number> {
  const counts = new Map<number, number>();
  const end = Math.min(text.length, maxChars);
  // p2, p1: the previous two symbols of the space-padded word; a word starts with p1 = space.
  let p2 = SPACE;
  let p1 = SPACE;
  let inWord = false;
  for (let i = 0; i <= end; i++) {
    const l = i < end ? symbol(text.charCodeAt(i), text, i) : -1;
    if (l >= 0) {
      if (inWord) {
        const k = p2 * SHIFT1 + p1 * SHIFT2 + l;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      } else p1 = SPACE;
      p2 = p1;
      p1 = l;
      inWord = true;
    } else if (inWord) {
      const k = p2 * SHIFT1 + p1 * SHIFT2 + SPACE;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      inWord = false;
    }
  }
  return counts;
}
