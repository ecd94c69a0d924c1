/**
 * Character classes shared by the word splitter and the Gopher rules. `PUNCTUATION_SET`
 * mirrors datatrove's `utils/text.py` PUNCTUATION (ASCII and CJK punctuation plus C0/C1
 * controls) so that "a word made only of symbols" means the same thing in both.
 */
const PUNCTUATION =
  '!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„\';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_."}►»';

const controls = (): string => {
  let s = '';
  for (const [a, b] of [
    [0, 9],
    [11, 13],
    [13, 32],
    [127, 160],
  ] as const) {
    for (let c = a; c < b; c++) s += String.fromCharCode(c);
  }
  return s;
};

export const PUNCTUATION_SET: ReadonlySet<string> = new Set([...PUNCTUATION, ...controls()]);

// Every PUNCTUATION character is in the BMP, so one byte per UTF-16 code unit answers membership.
const PUNCTUATION_TABLE = new Uint8Array(65536);
for (const ch of PUNCTUATION_SET) PUNCTUATION_TABLE[ch.charCodeAt(0)] = 1;

/** True when every character of `word` is punctuation (datatrove's "symbol word"). */
export function isSymbolWord(word: string): boolean {
  for (let i = 0; i < word.length; i++) if (PUNCTUATION_TABLE[word.charCodeAt(i)] === 0) return false;
  return true;
}

const LETTER = /\p{L}/u;

/** Python's `any(c.isalpha() for c in word)`, with an ASCII fast path. */
export function hasAlpha(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
    if (c >= 0xaa && LETTER.test(word[i]!)) return true;
    // A surrogate pair: test the full code point.
    if (c >= 0xd800 && c <= 0xdbff && LETTER.test(word.slice(i, i + 2))) return true;
  }
  return false;
}
