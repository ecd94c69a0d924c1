/**
 * LLM05 improper output handling, on outputs: markup that does harm when a client renders the
 * answer — script tags, `javascript:` URLs, inline event handlers, and markdown images whose
 * URL carries a query string (the zero-click exfiltration channel reported against chat UIs).
 * Matched on the original text, since normalisation would rewrite the markup. Every repeat is
 * bounded: with `[^>]*` and friends, markup that never closes made matching quadratic.
 */
import type { Detector, RawFinding } from '../detector';
import type { Rule } from '../rules';
import { allMatches } from '../all-matches';

const RULES: readonly Rule[] = [
  { id: 'script', pattern: /<script\b[^<]{0,4000}(?:<\/script\s{0,10}>)?/gi, score: 0.9, reason: 'script element' },
  { id: 'javascript-url', pattern: /\bjavascript\s{0,10}:[^\s"'<>)]{0,2000}/gi, score: 0.8, reason: 'javascript: URL' },
  { id: 'event-handler', pattern: /<[a-z][^<>]{0,500}\son[a-z]{1,30}\s{0,10}=[^<>]{0,2000}>/gi, score: 0.8, reason: 'inline event handler' },
  { id: 'iframe', pattern: /<iframe\b/gi, score: 0.7, reason: 'iframe element' },
  { id: 'exfil-image', pattern: /!\[[^\]]{0,500}\]\(\s{0,10}https?:\/\/[^)\s?]{1,2048}\?[^)\s]{0,2048}\)/gi, score: 0.8, reason: 'markdown image with a query string (data exfiltration channel)' },
];

export const unsafeMarkupDetector: Detector = {
  name: 'unsafe-markup',
  category: 'LLM05:2025',
  stages: ['output'],
  threshold: 0.5,
  detect(text) {
    const findings: RawFinding[] = [];
    for (const rule of RULES) {
      for (const m of allMatches(rule.pattern, text.original)) {
        findings.push({ score: rule.score, span: { start: m.index, end: m.index + m[0].length }, reason: rule.reason, replacement: '[removed markup]' });
      }
    }
    return findings;
  },
};
