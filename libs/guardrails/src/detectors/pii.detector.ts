/**
 * LLM02 sensitive information disclosure: PII (e-mail, phone, payment card with Luhn, IPv4/6,
 * IBAN with its mod-97 check, US SSN with the SSA's never-issued ranges) and secrets (API
 * keys, tokens, private key blocks, high-entropy `key=value`). E-mail, phone, card, IP and
 * secrets come from @crucible/curation's `redactPii` — the same patterns that cleaned the
 * training data — and its placeholders; spans are recovered by aligning its output with the
 * input. Detection runs on the original text: normalising would break the formats.
 */
import { PII_PLACEHOLDERS, redactPii, type PiiKind } from '@crucible/curation';
import type { Detector, RawFinding } from '../detector';
import { allMatches } from '../all-matches';

export type PiiType = Exclude<PiiKind, 'secret'> | 'iban' | 'ssn';

const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
export const IBAN_PLACEHOLDER = '<IBAN>';
export const SSN_PLACEHOLDER = '<SSN>';

/** ISO 13616 check: move the country code and check digits to the end, read as base 36, mod 97 == 1. */
export function ibanValid(candidate: string): boolean {
  const s = candidate.replace(/ /g, '');
  if (s.length < 15 || s.length > 34) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const v = parseInt(ch, 36);
    if (Number.isNaN(v)) return false;
    for (const d of String(v)) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** Area 000, 666 and 900–999, group 00 and serial 0000 are never issued. */
export const ssnValid = (area: string, group: string, serial: string): boolean =>
  area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';

interface Located {
  readonly start: number;
  readonly end: number;
}

/**
 * Where `redacted` replaced parts of `original` by `mark`: the text between marks must appear
 * in order in the original, and each gap must be a match on its own (`isMatch`).
 */
export function locateReplacements(
  original: string,
  redacted: string,
  mark: string,
  isMatch: (start: number, end: number) => boolean,
): Located[] {
  const segments = redacted.split(mark);
  const spans: Located[] = [];
  let at = segments[0]!.length;
  for (let i = 1; i < segments.length; i++) {
    const next = segments[i]!;
    const last = i === segments.length - 1;
    let end = last ? original.length - next.length : original.indexOf(next, at + 1);
    while (end !== -1 && end > at && !isMatch(at, end)) end = last ? -1 : original.indexOf(next, end + 1);
    if (end === -1 || end <= at) return spans;
    spans.push({ start: at, end });
    at = end + next.length;
  }
  return spans;
}

interface PiiHit extends Located {
  readonly type: PiiType | 'secret';
  readonly replacement: string;
}

function curationHits(text: string, kind: PiiKind, minSecretEntropy: number): PiiHit[] {
  const options = { kinds: [kind], minSecretEntropy };
  const result = redactPii(text, options);
  if (result.counts[kind] === 0) return [];
  const mark = PII_PLACEHOLDERS[kind];
  // A gap is a match when redacting the text up to its end (with some left context, which
  // `key = value` secrets need) ends in the mark.
  const isMatch = (start: number, end: number) => redactPii(text.slice(Math.max(0, start - 64), end), options).text.endsWith(mark);
  return locateReplacements(text, result.text, mark, isMatch).map((span) => ({ ...span, type: kind === 'ip' ? 'ip' : kind, replacement: mark }));
}

function ownHits(text: string): PiiHit[] {
  const hits: PiiHit[] = [];
  for (const m of allMatches(IBAN, text)) {
    if (ibanValid(m[0])) hits.push({ start: m.index, end: m.index + m[0].length, type: 'iban', replacement: IBAN_PLACEHOLDER });
  }
  for (const m of allMatches(SSN, text)) {
    if (ssnValid(m[1]!, m[2]!, m[3]!)) hits.push({ start: m.index, end: m.index + m[0].length, type: 'ssn', replacement: SSN_PLACEHOLDER });
  }
  return hits;
}

/** Drops hits overlapping an earlier (higher-priority) one; result sorted by position. O(n log n + n·k) for k kept. */
function withoutOverlaps(hits: readonly PiiHit[]): PiiHit[] {
  // Kept spans never overlap, so sorted by start they are also sorted by end: a binary search
  // finds the only neighbours a new span could overlap.
  const kept: PiiHit[] = [];
  for (const h of hits) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < h.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > h.start) || (after && after.start < h.end)) continue;
    kept.splice(lo, 0, h);
  }
  return kept;
}

const PII_ORDER: readonly PiiKind[] = ['email', 'card', 'ip', 'phone'];

// The pii and secrets detectors both need the hits of the same text, one right after the
// other: the second reuses the first's (read-only; the exported function returns fresh ones).
let last: { readonly text: string; readonly minSecretEntropy: number; readonly hits: readonly PiiHit[] } | undefined;
function sensitiveOnce(text: string, minSecretEntropy: number): readonly PiiHit[] {
  if (last && last.text === text && last.minSecretEntropy === minSecretEntropy) return last.hits;
  const hits = findSensitive(text, minSecretEntropy);
  last = { text, minSecretEntropy, hits };
  return hits;
}

/** Every PII and secret occurrence in `text`, most specific kind first on overlaps. */
export function findSensitive(text: string, minSecretEntropy: number): PiiHit[] {
  const secrets = curationHits(text, 'secret', minSecretEntropy);
  const own = ownHits(text);
  const rest = PII_ORDER.flatMap((kind) => curationHits(text, kind, minSecretEntropy));
  return withoutOverlaps([...secrets, ...own, ...rest]);
}

const REASONS: Readonly<Record<PiiHit['type'], string>> = {
  secret: 'secret (API key, token or private key)',
  email: 'e-mail address',
  card: 'payment card number (Luhn-valid)',
  ip: 'IP address',
  phone: 'phone number',
  iban: 'IBAN (checksum-valid)',
  ssn: 'US social security number',
};

const toFinding = (h: PiiHit, score: number): RawFinding => ({
  score,
  span: { start: h.start, end: h.end },
  reason: REASONS[h.type],
  replacement: h.replacement,
});

export const piiDetector: Detector = {
  name: 'pii',
  category: 'LLM02:2025',
  stages: ['input', 'output'],
  threshold: 0.5,
  detect(text, { options }) {
    return sensitiveOnce(text.original, options.minSecretEntropy)
      .filter((h) => h.type !== 'secret')
      .map((h) => toFinding(h, 0.7));
  },
};

export const secretsDetector: Detector = {
  name: 'secrets',
  category: 'LLM02:2025',
  stages: ['input', 'output'],
  threshold: 0.5,
  detect(text, { options }) {
    return sensitiveOnce(text.original, options.minSecretEntropy)
      .filter((h) => h.type === 'secret')
      .map((h) => toFinding(h, 0.9));
  },
};
