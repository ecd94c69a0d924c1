/**
 * Word splitter for the Gopher rules and MinHash shingles. datatrove splits English with
 * spaCy's blank `en` tokenizer; this is a dependency-free approximation of its rules
 * (whitespace split, then prefix punctuation, suffix punctuation and clitics such as
 * `'s`/`n't`, and hyphen infixes between letters), measured against datatrove's decisions
 * in `bench/cleaning` (agreement printed there). Written as a character scanner because it
 * is the hot path of every filter.
 */

// spaCy English prefixes: opening punctuation, quotes, currency and a few symbols.
const PREFIX_CHARS = '§%=—–+"\'([{<$£€¥#*&`~¡¿“‘«»„‚‹›…!?,;:/\\|^@_-';
// spaCy English suffixes (a trailing period is decided separately).
const SUFFIX_CHARS = ',;:!?)]}>"\'”’»«%…/\\|*~^-—–';
// Membership tables indexed by UTF-16 code unit: the splitter runs once per word of every document.
const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(65536);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
};
const PREFIX = table(PREFIX_CHARS);
const SUFFIX = table(SUFFIX_CHARS);
const ABBREVIATIONS = new Set([
  'mr.', 'mrs.', 'ms.', 'dr.', 'st.', 'jr.', 'sr.', 'vs.', 'etc.', 'inc.', 'ltd.', 'co.', 'corp.',
  'jan.', 'feb.', 'mar.', 'apr.', 'jun.', 'jul.', 'aug.', 'sep.', 'sept.', 'oct.', 'nov.', 'dec.',
  'gen.', 'gov.', 'sen.', 'rep.', 'rev.', 'prof.', 'no.', 'mt.', 'ft.', 'ave.', 'dept.',
]);
const CLITICS = ["n't", "n’t", "'s", "’s", "'m", "’m", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d"];

const isLetterOrDigit = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0xc0;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isWhitespace = (c: number): boolean =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x85 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0x1680 || c === 0x202f || c === 0x205f;

/** Splits `text` into word tokens (punctuation becomes its own tokens, whitespace is dropped). */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    const start = i;
    while (i < n && !isWhitespace(text.charCodeAt(i))) i++;
    if (i > start) splitChunk(text.slice(start, i), out);
  }
  return out;
}

function splitChunk(chunk: string, out: string[]): void {
  let s = 0;
  let e = chunk.length;
  // Prefixes: a run of dots is one ellipsis token, any other prefix char is one token.
  while (s < e) {
    const ch = chunk.charCodeAt(s);
    if (ch === 46 && chunk.startsWith('...', s)) {
      let k = s;
      while (k < e && chunk.charCodeAt(k) === 46) k++;
      out.push(chunk.slice(s, k));
      s = k;
    } else if (PREFIX[ch] === 1 && e - s > 1) {
      out.push(chunk[s]!);
      s++;
    } else break;
  }
  const suffixes: string[] = [];
  while (e > s) {
    const ch = chunk.charCodeAt(e - 1);
    if (ch === 46) {
      let k = e;
      while (k > s && chunk.charCodeAt(k - 1) === 46) k--;
      if (e - k >= 2) {
        suffixes.push(chunk.slice(k, e));
        e = k;
        continue;
      }
      if (!periodIsSuffix(chunk, s, e)) break;
      suffixes.push('.');
      e--;
    } else if (SUFFIX[ch] === 1 && e - s > 1) {
      suffixes.push(chunk[e - 1]!);
      e--;
    } else break;
  }
  if (e > s) {
    const core = chunk.slice(s, e);
    const hasApostrophe = core.includes("'") || core.includes('’');
    const clitic = hasApostrophe ? CLITICS.find((c) => core.length > c.length && core.endsWith(c)) : undefined;
    if (clitic) {
      splitInfix(core.slice(0, core.length - clitic.length), out);
      out.push(core.slice(core.length - clitic.length));
    } else splitInfix(core, out);
  }
  for (let k = suffixes.length - 1; k >= 0; k--) out.push(suffixes[k]!);
}

// spaCy splits a final period after a digit, a lower-case letter, punctuation, or two
// capitals ("USA."), but not after abbreviations ("Mr.", "U.S.", "e.g.").
function periodIsSuffix(chunk: string, s: number, e: number): boolean {
  if (e - s < 2) return false;
  const word = chunk.slice(s, e);
  if (word.indexOf('.') < word.length - 1) return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  const prev = chunk.charCodeAt(e - 2);
  if (isUpper(prev)) return e - s >= 3 && isUpper(chunk.charCodeAt(e - 3));
  return true;
}

// Hyphens between letters, digit-letter or digits ("well-known" → well, -, known).
function splitInfix(core: string, out: string[]): void {
  let from = 0;
  for (let k = 1; k < core.length - 1; k++) {
    const ch = core.charCodeAt(k);
    const prev = core.charCodeAt(k - 1);
    const next = core.charCodeAt(k + 1);
    const hyphen = ch === 45 || ch === 0x2013 || ch === 0x2014;
    // "well-known" and "1990-2000" split; "-5" or "a-" at the edges do not reach here.
    if (hyphen && ((isLetterOrDigit(prev) && isLetter(next)) || (isDigit(prev) && isDigit(next)))) {
      if (k > from) out.push(core.slice(from, k));
      out.push(core[k]!);
      from = k + 1;
    }
  }
  out.push(from === 0 ? core : core.slice(from));
}
