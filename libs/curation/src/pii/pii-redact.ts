/**
 * PII redaction: secrets, e-mail addresses, payment cards (Luhn-checked), IP addresses and
 * phone numbers are replaced by placeholders (`<SECRET>`, `<EMAIL>`, `<CARD>`,
 * `<IP_ADDRESS>`, `<PHONE>`), in that order so that a more specific match is not eaten by a
 * looser one (a card number is not a phone number; an e-mail inside a key block is a key).
 * Patterns after datatrove's PIIFormatter, BigCode's pii detection and gitleaks' rules.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type PiiKind = 'secret' | 'email' | 'card' | 'ip' | 'phone';
export const PII_KINDS: readonly PiiKind[] = ['secret', 'email', 'card', 'ip', 'phone'];

export const PII_PLACEHOLDERS: Readonly<Record<PiiKind, string>> = Object.freeze({
  secret: '<SECRET>',
  email: '<EMAIL>',
  card: '<CARD>',
  ip: '<IP_ADDRESS>',
  phone: '<PHONE>',
});

export interface PiiOptions {
  readonly kinds: readonly PiiKind[];
  /** Minimum Shannon entropy (bits/char) of a value after `key=`/`token=` to count as a secret. */
  readonly minSecretEntropy: number;
}

export const PII_DEFAULTS: PiiOptions = Object.freeze({ kinds: PII_KINDS, minSecretEntropy: 3.5 });

export interface PiiResult {
  readonly text: string;
  readonly counts: Readonly<Record<PiiKind, number>>;
}

const SECRET_TOKENS = new RegExp(
  [
    '-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----',
    '\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b',
    '\\bgh[pousr]_[A-Za-z0-9]{36,255}\\b',
    '\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b',
    '\\bxox[abposr]-[A-Za-z0-9-]{10,255}',
    '\\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}',
    '\\bAIza[0-9A-Za-z_-]{35}\\b',
    '\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}',
  ].join('|'),
  'g',
);
// `api_key = "…"`, `token: …`, `password=…`: only the value is replaced, and only when it looks random.
const ASSIGNED_SECRET =
  /\b((?:[A-Za-z0-9]+[_-])*(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|access[_-]?key|auth|key)\b["']?\s*[:=]\s*["']?)([A-Za-z0-9_+/=.~-]{16,})/gi;
const EMAIL = /\b[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z])/g;
// Card layouts only: 13–19 digits in one run, 4-4-4-4(-3) with one separator, or 4-6-4/5
// (Amex, Diners). Not inside a longer token, an IPv6 address or a dotted number.
const CARD =
  /(?<![\w.:-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w-]|[.:]\d)/g;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;
const IPV6_CANDIDATE = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)/g;
// International (+cc …) or North American (NXX) NXX-XXXX; separators required so that years,
// ranges and plain long numbers are not phones.
const PHONE =
  /(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{2,4}){1,4}|(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4})(?![\w-])/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function shannonEntropy(s: string): number {
  const freq = new Map<string, number>();
  for (const ch of s) freq.set(ch, (freq.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// A cheap gate per kind so clean documents skip the regexes entirely.
const MAY_CONTAIN: Record<PiiKind, (t: string) => boolean> = {
  secret: (t) => /-----BEGIN|AKIA|ASIA|gh[pousr]_|github_pat_|xox|sk-|AIza|eyJ|[:=]/.test(t),
  email: (t) => t.includes('@'),
  card: (t) => /\d{4}/.test(t),
  ip: (t) => /\d\.\d|:[0-9A-Fa-f]*:/.test(t),
  phone: (t) => /\d{3}/.test(t),
};

/** Redacts the configured PII kinds; returns the new text and the count per kind. */
export function redactPii(text: string, options: PiiOptions = PII_DEFAULTS): PiiResult {
  const counts: Record<PiiKind, number> = { secret: 0, email: 0, card: 0, ip: 0, phone: 0 };
  let t = text;
  const enabled = new Set(options.kinds);
  for (const kind of PII_KINDS) {
    if (!enabled.has(kind) || !MAY_CONTAIN[kind](t)) continue;
    const mark = PII_PLACEHOLDERS[kind];
    switch (kind) {
      case 'secret':
        t = t.replace(SECRET_TOKENS, () => (counts.secret++, mark));
        t = t.replace(ASSIGNED_SECRET, (m, prefix: string, value: string) => {
          if (shannonEntropy(value) < options.minSecretEntropy) return m;
          counts.secret++;
          return prefix + mark;
        });
        break;
      case 'email':
        t = t.replace(EMAIL, () => (counts.email++, mark));
        break;
      case 'card':
        t = t.replace(CARD, (m) => {
          if (!luhnValid(m.replace(/[ -]/g, ''))) return m;
          counts.card++;
          return mark;
        });
        break;
      case 'ip':
        // IPv6 first: "::ffff:10.0.0.1" embeds an IPv4 address.
        t = t.replace(IPV6_CANDIDATE, (m) => {
          // At least two hex groups: "a::" or "12:30:45" are not addresses worth redacting.
          if ((m.match(/[0-9A-Fa-f]+/g) ?? []).length < 2 || !isIPv6(m)) return m;
          counts.ip++;
          return mark;
        });
        t = t.replace(IPV4, (m) => (isIPv4(m) ? (counts.ip++, mark) : m));
        break;
      case 'phone':
        t = t.replace(PHONE, (m) => {
          const digits = m.replace(/\D/g, '').length;
          if (digits < 10 || digits > 15) return m;
          counts.phone++;
          return mark;
        });
        break;
    }
  }
  return { text: t, counts };
}
