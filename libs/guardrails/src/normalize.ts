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

/** A text plus, for each UTF-16 unit of it, the [start, end) it came from in the original. */
export interface MappedText {
  readonly text: string;
  readonly from: readonly number[];
  readonly to: readonly number[];
}

export interface NormalizedText extends MappedText {
  readonly original: string;
  /** The normalised text with every non-alphanumeric removed: finds "i-g-n-o-r-e" and split canaries. */
  readonly compact: MappedText;
  /** Unicode tag characters were present (an invisible instruction channel). */
  readonly hadTagCharacters: boolean;
  readonly hadInvisibleCharacters: boolean;
}

class MappedBuilder {
  private readonly parts: string[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];

  push(s: string, start: number, end: number): void {
    for (let i = 0; i < s.length; i++) {
      this.from.push(start);
      this.to.push(end);
    }
    this.parts.push(s);
  }

  /** Copies [start, end) of `mapped` unchanged. */
  pushRange(mapped: MappedText, start: number, end: number): void {
    for (let k = start; k < end; k++) {
      this.from.push(mapped.from[k]!);
      this.to.push(mapped.to[k]!);
    }
    this.parts.push(mapped.text.slice(start, end));
  }

  build(): MappedText {
    return { text: this.parts.join(''), from: this.from, to: this.to };
  }
}

/** Maps a [start, end) of `mapped.text` back to the original text. */
export function originalSpan(mapped: MappedText, start: number, end: number): { start: number; end: number } {
  if (end <= start || start >= mapped.from.length) return { start: mapped.from[start] ?? 0, end: mapped.from[start] ?? 0 };
  return { start: mapped.from[start]!, end: mapped.to[Math.min(end, mapped.to.length) - 1]! };
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

// Printable ASCII needs no decomposition: lower-case it directly (the common case, ~10× faster).
const ASCII_FAST = /^[\x20-\x7e]$/;

function decodeCharacters(original: string): { mapped: MappedText; tags: boolean; invisible: boolean } {
  const out = new MappedBuilder();
  let tags = false;
  let invisible = false;
  let i = 0;
  for (const ch of original) {
    const start = i;
    i += ch.length;
    if (ch.length === 1 && ASCII_FAST.test(ch)) {
      out.push(ch.toLowerCase(), start, i);
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp >= TAG_FIRST && cp <= TAG_LAST) {
      tags = true;
      out.push(String.fromCharCode(cp - 0xe0000).toLowerCase(), start, i);
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
    out.push(s, start, i);
  }
  return { mapped: out.build(), tags, invisible };
}

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** For a piece that only drops units: the index in `mapped` each unit of `text` was kept from. */
  readonly kept?: readonly number[];
}

/** Rewrites `mapped` through `pieces`: each piece replaces [start, end) of it with `text`. */
function rewrite(mapped: MappedText, pieces: Iterable<Piece>): MappedText {
  const out = new MappedBuilder();
  let at = 0;
  const copy = (until: number) => {
    if (until > at) out.pushRange(mapped, at, until);
    at = Math.max(at, until);
  };
  for (const p of pieces) {
    copy(p.start);
    if (p.kept) {
      for (let k = 0; k < p.text.length; k++) out.push(p.text[k]!, mapped.from[p.kept[k]!]!, mapped.to[p.kept[k]!]!);
    } else if (p.end > p.start) {
      // Each output unit keeps the original range of the input unit at the same offset (or the last).
      for (let k = 0; k < p.text.length; k++) {
        const j = Math.min(p.start + k, p.end - 1);
        out.push(p.text[k]!, mapped.from[j]!, k === p.text.length - 1 ? mapped.to[p.end - 1]! : mapped.to[j]!);
      }
    }
    at = p.end;
  }
  copy(mapped.text.length);
  return out.build();
}

function* matches(re: RegExp, text: string, f: (m: RegExpExecArray) => string | undefined): Generator<Piece> {
  for (const m of text.matchAll(re)) {
    const text = f(m as RegExpExecArray);
    if (text !== undefined) yield { start: m.index, end: m.index + m[0].length, text };
  }
}

/** Pieces that keep only the units of each match that satisfy `keep`. */
function* filtered(re: RegExp, text: string, keep: RegExp, when: (m: string) => boolean = () => true): Generator<Piece> {
  for (const m of text.matchAll(re)) {
    if (!when(m[0])) continue;
    const kept: number[] = [];
    let out = '';
    for (let k = 0; k < m[0].length; k++) {
      if (!keep.test(m[0][k]!)) continue;
      kept.push(m.index + k);
      out += m[0][k];
    }
    yield { start: m.index, end: m.index + m[0].length, text: out, kept };
  }
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

/** The normalised form of `original` that every detector matches against. */
export function normalizeForDetection(original: string): NormalizedText {
  const decoded = decodeCharacters(original);
  let m = decoded.mapped;
  m = rewrite(m, filtered(SPACED_LETTERS, m.text, /[a-z0-9@$]/, (x) => (x.match(/[a-z]/g)?.length ?? 0) >= 2));
  m = rewrite(m, matches(LEET_TOKEN, m.text, (x) => unleet(x[0])));
  m = rewrite(m, matches(REPEATED_LETTER, m.text, (x) => x[1]));
  m = rewrite(m, matches(WHITESPACE_RUN, m.text, () => ' '));
  const compact = rewrite(m, filtered(/[^a-z0-9]+/g, m.text, /[a-z0-9]/));
  return {
    ...m,
    original,
    compact,
    hadTagCharacters: decoded.tags,
    hadInvisibleCharacters: decoded.invisible,
  };
}
