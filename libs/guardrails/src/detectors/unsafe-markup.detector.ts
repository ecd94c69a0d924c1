/**
 * LLM05 improper output handling, on outputs: markup that does harm when a client renders the
 * answer — script tags, `javascript:` URLs, inline event handlers, and markdown images whose
 * URL carries a query string (the zero-click exfiltration channel reported against chat UIs).
 * Matched on the original text, since normalisation would rewrite the markup.
 */
import type { Detector, RawFinding } from '../detector';
import type { Rule } from '../rules';

const RULES: readonly Rule[] = [
  { id: 'script', pattern: /<script\b[\s\S]*?(?:<\/script\s*>|$)/gi, score: 0.9, reason: 'script element' },
  { id: 'javascript-url', pattern: /\bjavascript\s*:[^\s"'<>)]*/gi, score: 0.8, reason: 'javascript: URL' },
  { id: 'event-handler', pattern: /<[a-z][^>]*\son[a-z]+\s*=\s*[^>]*>/gi, score: 0.8, reason: 'inline event handler' },
  { id: 'iframe', pattern: /<iframe\b[^>]*>/gi, score: 0.7, reason: 'iframe element' },
  { id: 'exfil-image', pattern: /!\[[^\]]*\]\(\s*https?:\/\/[^)\s]+\?[^)\s]*=[^)\s]*\)/gi, score: 0.8, reason: 'markdown image with a query string (data exfiltration channel)' },
];

export const unsafeMarkupDetector: Detector = {
  name: 'unsafe-markup',
  category: 'LLM05:2025',
  stages: ['output'],
  threshold: 0.5,
  detect(text) {
    const findings: RawFinding[] = [];
    for (const rule of RULES) {
      for (const m of text.original.matchAll(rule.pattern)) {
        findings.push({ score: rule.score, span: { start: m.index, end: m.index + m[0].length }, reason: rule.reason, replacement: '[removed markup]' });
      }
    }
    return findings;
  },
};
