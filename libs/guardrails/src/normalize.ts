/**
 * Normalisation against evasion, with an offset map back to the original text so findings
 * carry spans the caller can highlight or redact. Steps, in order: Unicode tag characters
 * decoded ("ASCII smuggling"), invisible format characters dropped (zero-width spaces, soft
 * hyphens, bidi controls, variation selectors), compatibility decomposition with accents
 * stripped (fullwidth, ligatures, "ïgnörè"), lower case, common Cyrillic/Greek homoglyphs,
 * leetspeak inside words ("h0w t0 m4k3 b0mb5"), spaced-out letters joined ("b o m b",
 * "b.o.m.b"), letters repeated 3+ times collapsed ("booomb"), whitespace runs collapsed.
 * After garak's encoding probes and the evasion lists of Rebuff and LLM Guard.
 */

import { identityMapped, LazyMappedText, rewrite, type MappedText, type Piece } from './offset-map';
import { allMatches } from './all-matches';

export { originalSpan, type MappedText } from './offset-map';

export interface NormalizedText extends MappedText {
  readonly original: string;
  /** The normalised text with every non-alphanumeric removed: finds "i-g-n-o-r-e" and split canaries. */
  readonly compact: MappedText;
  /** Unicode tag characters were present (an invisible instruction channel). */
  readonly hadTagCharacters: boolean;
  readonly hadInvisibleCharacters: boolean;
}

const TAG_FIRST = 0xe0020;
const TAG_LAST = 0xe007e;
// Format characters (zero-width, bidi, soft hyphen, tag begin/end) and variation selectors.
const INVISIBLE = /^[\p{Cf}\uFE00-\uFE0F\u034F\u115F\u1160\u3164\uFFA0]$|^[\u{E0100}-\u{E01EF}]$/u;
const COMBINING = /\p{M}/gu;

const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  і: 'i', ї: 'i', ј: 'j', ѕ: 's', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  ı: 'i', ł: 'l', ø: 'o', đ: 'd', ß: 'ss', æ: 'ae', œ: 'oe',
};

// ASCII decodes unit for unit: lower case, "\r" becomes "\n", "\t", "\v" and "\f" a space, and
// other controls stay — what the per-character path below gives them, without its cost.
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const ASCII_SPACE = /[\t\v\f]/g;
const decodeAscii = (s: string): string => s.toLowerCase().replace(/\r/g, '\n').replace(ASCII_SPACE, ' ');

function decodeCharacters(original: string): { mapped: MappedText; tags: boolean; invisible: boolean } {
  // Plain ASCII (most prompts and answers): the map is the identity, built only if a span needs it.
  if (ASCII_ONLY.test(original)) return { mapped: identityMapped(decodeAscii(original)), tags: false, invisible: false };
  const from: number[] = [];
  const to: number[] = [];
  let text = '';
  const push = (s: string, start: number, end: number) => {
    for (let k = 0; k < s.length; k++) {
      from.push(start);
      to.push(end);
    }
    text += s;
  };
  let tags = false;
  let invisible = false;
  let i = 0;
  for (const ch of original) {
    const start = i;
    i += ch.length;
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) {
      push(decodeAscii(ch), start, i);
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp >= TAG_FIRST && cp <= TAG_LAST) {
      tags = true;
      push(String.fromCharCode(cp - 0xe0000).toLowerCase(), start, i);
      continue;
    }
    if (INVISIBLE.test(ch)) {
      invisible = true;
      continue;
    }
    let s = ch.normalize('NFKD').replace(COMBINING, '').toLowerCase();
    s = [...s].map((c) => HOMOGLYPHS[c] ?? c).join('');
    // Line breaks survive (line-anchored rules need them); every other space becomes ' '.
    if (s === '\n' || s === '\r') s = '\n';
    else if (/\s/.test(s)) s = ' ';
    push(s, start, i);
  }
  return { mapped: { text, from, to }, tags, invisible };
}

function matches(re: RegExp, text: string, f: (m: RegExpExecArray) => string | undefined): Piece[] {
  const pieces: Piece[] = [];
  for (const m of allMatches(re, text)) {
    const text = f(m as RegExpExecArray);
    if (text !== undefined) pieces.push({ start: m.index, end: m.index + m[0].length, text });
  }
  return pieces;
}

/** Pieces that keep only the units of each match that satisfy `keep`. */
function filtered(re: RegExp, text: string, keep: RegExp, when: (m: string) => boolean = () => true): Piece[] {
  const pieces: Piece[] = [];
  for (const m of allMatches(re, text)) {
    if (!when(m[0])) continue;
    const kept: number[] = [];
    let out = '';
    for (let k = 0; k < m[0].length; k++) {
      if (!keep.test(m[0][k]!)) continue;
      kept.push(m.index + k);
      out += m[0][k];
    }
    pieces.push({ start: m.index, end: m.index + m[0].length, text: out, kept });
  }
  return pieces;
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l', '+': 't',
};
const LEET_TOKEN = /[a-z0-9@$!|+]+/g;

// Numbers with units, versions and names ending in a number ("10km", "2nd", "1000x", "v2",
// "base64", "rot13", "sha256") are not leetspeak.
const NOT_LEET = /^\d+(?:st|nd|rd|th|x|k|m|b|g|gb|mb|kb|km|kg|cm|mm|ml|ms|s|h|am|pm|d|px|hz)$|^[vx]\d+$|^[a-z]+\d{2,}$/;

function unleet(token: string): string | undefined {
  if (!/[a-z]/.test(token) || !/[0-9@$!|+]/.test(token) || NOT_LEET.test(token)) return undefined;
  let out = '';
  for (let k = 0; k < token.length; k++) {
    const c = token[k]!;
    // "!", "|" and "+" only stand for letters between letters ("k!ll"), never as punctuation ("bomb!").
    const inside = k > 0 && k < token.length - 1;
    out += (c === '!' || c === '|' || c === '+') && !inside ? c : (LEET[c] ?? c);
  }
  return out;
}

// At least three single characters (two of them letters) joined by the same separator each
// time: "b o m b", "b.o.m.b"; in "i g n o r e  a l l" the wider gap ends the word.
const SPACED_LETTERS = /(?<![a-z0-9])[a-z0-9@$]([ ._*\-·•/]{1,2})[a-z0-9@$](?:\1[a-z0-9@$])+(?![a-z0-9]|\1[a-z0-9@$])/g;
const REPEATED_LETTER = /([a-z])\1{2,}/g;
const WHITESPACE_RUN = / {2,}/g;

// A leetspeak token mixes letters with digits or @$!|+, so somewhere a letter touches one of
// them; prose without such a pair (most of it) skips the per-token pass.
const MAY_BE_LEET = /[a-z][0-9@$!|+]|[0-9@$!|+][a-z]/;
const NOT_ALPHANUMERIC = /[^a-z0-9]+/g;
const ALPHANUMERIC = /[a-z0-9]/;

/** Whether a letter a–z occurs 3+ times in a row: a plain loop, since the backreference in
 * REPEATED_LETTER makes the regex scan several times slower, and prose rarely has one. */
function hasTripleLetter(text: string): boolean {
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122 && text.charCodeAt(i - 1) === c && text.charCodeAt(i - 2) === c) return true;
  }
  return false;
}

/** Normalised text; the compact form and every offset map are computed on first use. */
class Normalized implements NormalizedText {
  readonly text: string;
  private compactForm: MappedText | undefined;

  constructor(
    readonly original: string,
    private readonly mapped: MappedText,
    readonly hadTagCharacters: boolean,
    readonly hadInvisibleCharacters: boolean,
  ) {
    this.text = mapped.text;
  }

  get from(): readonly number[] {
    return this.mapped.from;
  }

  get to(): readonly number[] {
    return this.mapped.to;
  }

  get compact(): MappedText {
    return (this.compactForm ??= compactOf(this.mapped));
  }
}

/** `mapped` with every non-alphanumeric unit dropped; each kept unit keeps its range. */
function compactOf(mapped: MappedText): MappedText {
  const text = mapped.text;
  return new LazyMappedText(text.replace(NOT_ALPHANUMERIC, ''), () => {
    const from: number[] = [];
    const to: number[] = [];
    for (let i = 0; i < text.length; i++) {
      if (!ALPHANUMERIC.test(text[i]!)) continue;
      from.push(mapped.from[i]!);
      to.push(mapped.to[i]!);
    }
    return { from, to };
  });
}

/** The normalised form of `original` that every detector matches against. */
export function normalizeForDetection(original: string): NormalizedText {
  const decoded = decodeCharacters(original);
  let m = decoded.mapped;
  m = rewrite(m, filtered(SPACED_LETTERS, m.text, /[a-z0-9@$]/, (x) => (x.match(/[a-z]/g)?.length ?? 0) >= 2));
  if (MAY_BE_LEET.test(m.text)) m = rewrite(m, matches(LEET_TOKEN, m.text, (x) => unleet(x[0])));
  if (hasTripleLetter(m.text)) m = rewrite(m, matches(REPEATED_LETTER, m.text, (x) => x[1]));
  m = rewrite(m, matches(WHITESPACE_RUN, m.text, () => ' '));
  return new Normalized(original, m, decoded.tags, decoded.invisible);
}
