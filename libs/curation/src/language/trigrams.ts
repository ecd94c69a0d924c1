/**
 * Character trigrams as language-id features (Cavnar & Trenkle 1994; the same features as
 * franc/whatlang): lower-cased letters only, each word padded with one space on both sides,
 * so that word beginnings and endings (" th", "ed ") are trigrams of their own.
 * A trigram is keyed by a number (three UTF-16 units, 16 bits each) so counting allocates
 * no strings.
 */

const LETTER = /\p{L}/u;
const SPACE = 32;

/** The numeric key of a three-character string. */
export const trigramKey = (g: string): number => g.charCodeAt(0) * 4294967296 + g.charCodeAt(1) * 65536 + g.charCodeAt(2);

/** Lower-cased letter code, or -1 when `c` is not a letter. */
function letter(c: number, text: string, i: number): number {
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c | 32;
  if (c < 0xc0 || c === 0xd7 || c === 0xf7) return -1;
  const ch = text[i]!;
  return LETTER.test(ch) ? ch.toLowerCase().charCodeAt(0) : -1;
}

/** The three-character string of a `trigramKey`. */
export const trigramString = (k: number): string =>
  String.fromCharCode(Math.floor(k / 4294967296), Math.floor(k / 65536) % 65536, k % 65536);

/** Counts the trigrams of (at most `maxChars` of) `text`, keyed by `trigramKey`. */
export function countTrigrams(text: string, maxChars = Infinity): Map<number, number> {
  const counts = new Map<number, number>();
  const end = Math.min(text.length, maxChars);
  // p2, p1: the previous two symbols of the space-padded word; a word starts with p1 = space.
  let p2 = SPACE;
  let p1 = SPACE;
  let inWord = false;
  for (let i = 0; i <= end; i++) {
    const l = i < end ? letter(text.charCodeAt(i), text, i) : -1;
    if (l >= 0) {
      if (inWord) {
        const k = p2 * 4294967296 + p1 * 65536 + l;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      } else p1 = SPACE;
      p2 = p1;
      p1 = l;
      inWord = true;
    } else if (inWord) {
      const k = p2 * 4294967296 + p1 * 65536 + SPACE;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      inWord = false;
    }
  }
  return counts;
}
