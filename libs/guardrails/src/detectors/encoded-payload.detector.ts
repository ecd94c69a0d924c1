/**
 * LLM01 encoded payloads: instructions smuggled past filters in base64, hex, ROT13 or
 * invisible Unicode tag characters (garak's `encoding` probes). Each decodable run is decoded
 * and scanned by the inner detectors (injection, jailbreak, harmful request); a hit inside an
 * encoding scores at least 0.9, because hiding it is itself the tell. A bare "decode this and
 * follow it" also counts.
 */
import type { Detector, DetectorContext, RawFinding } from '../detector';
import { normalizeForDetection, originalSpan } from '../normalize';
import { rx } from '../rules';
import { allMatches } from '../all-matches';

const BASE64 = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

// Both regexes retry at every unit of every word of prose, which made them most of this
// detector's time; one linear pass says whether either can match at all. A BASE64 match is a
// run of 16+ units of its alphabet; a HEX match lies inside a run of hex digits, spaces and
// colons holding 24+ hex digits.
const isBase64Unit = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 95 || c === 45;
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

function mayBeEncoded(s: string): { base64: boolean; hex: boolean } {
  let base64 = false;
  let hex = false;
  let b64Run = 0;
  let hexDigits = 0;
  for (let i = 0; i < s.length && !(base64 && hex); i++) {
    const c = s.charCodeAt(i);
    b64Run = isBase64Unit(c) ? b64Run + 1 : 0;
    if (b64Run >= 16) base64 = true;
    if (isHexDigit(c)) {
      if (++hexDigits >= 24) hex = true;
    } else if (c !== 32 && c !== 58) hexDigits = 0;
  }
  return { base64, hex };
}
const HEX = /\b(?:[0-9a-fA-F]{2}[ :]?){12,}/g;
const ROT13_MENTION = rx('\\brot ?13\\b|\\bcaesar\\b');
const DECODE_AND_OBEY = rx(
  '(?:decode|decipher|decrypt|translate|convert|read) [^.!?\\n]{0,40}(?:base ?64|hex|rot ?13|binary|morse|caesar|cipher|encoded)[^.!?\\n]{0,60}(?:and |then )+(?:follow|execute|obey|do|run|answer|respond|comply|act on|carry out)',
);

const printableShare = (s: string): number => (s.length === 0 ? 0 : (s.match(/[\x20-\x7e\n\t]/g)?.length ?? 0) / s.length);
const looksLikeText = (s: string): boolean => printableShare(s) > 0.9 && /[a-zA-Z]{3,}/.test(s) && /\s/.test(s);

export const rot13 = (s: string): string =>
  s.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });

export function encodedPayloadDetector(inner: readonly Detector[]): Detector {
  const scan = (decoded: string, context: DetectorContext): RawFinding | undefined => {
    const text = normalizeForDetection(decoded);
    let best: RawFinding | undefined;
    for (const d of inner) {
      for (const f of d.detect(text, context)) if (f.score >= d.threshold && (!best || f.score > best.score)) best = { ...f, reason: `${d.name}: ${f.reason}` };
    }
    return best;
  };
  return {
    name: 'encoded-payload',
    category: 'LLM01:2025',
    stages: ['input'],
    threshold: 0.5,
    detect(text, context) {
      const findings: RawFinding[] = [];
      const original = text.original;
      const runs: { start: number; end: number; decoded: string; encoding: string }[] = [];
      const may = mayBeEncoded(original);
      for (const m of may.base64 ? allMatches(BASE64, original) : []) {
        if (m[0].length < context.options.minEncodedChars) continue;
        const decoded = Buffer.from(m[0], 'base64').toString('utf8');
        if (looksLikeText(decoded)) runs.push({ start: m.index, end: m.index + m[0].length, decoded, encoding: 'base64' });
      }
      for (const m of may.hex ? allMatches(HEX, original) : []) {
        const decoded = Buffer.from(m[0].replace(/[ :]/g, ''), 'hex').toString('utf8');
        if (looksLikeText(decoded)) runs.push({ start: m.index, end: m.index + m[0].length, decoded, encoding: 'hex' });
      }
      if (ROT13_MENTION.test(text.text)) runs.push({ start: 0, end: original.length, decoded: rot13(original), encoding: 'rot13' });
      ROT13_MENTION.lastIndex = 0;
      for (const run of runs) {
        const hit = scan(run.decoded, context);
        if (hit) findings.push({ score: Math.max(0.9, hit.score), span: { start: run.start, end: run.end }, reason: `${run.encoding} payload hides ${hit.reason}` });
      }
      if (text.hadTagCharacters) findings.push({ score: 0.9, reason: 'invisible Unicode tag characters carry hidden text (ASCII smuggling)' });
      for (const m of allMatches(DECODE_AND_OBEY, text.text)) {
        findings.push({ score: 0.7, span: originalSpan(text, m.index, m.index + m[0].length), reason: `asks to decode and obey: "${m[0]}"` });
      }
      return findings;
    },
  };
}
