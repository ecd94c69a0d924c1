/**
 * LLM01: a request for harmful help (weapons, self-harm, malware, hate). Filed under prompt
 * injection because that is where OWASP and promptfoo place direct requests that try to make
 * the model produce disallowed content. One finding per category whose score reaches the
 * threshold: score = strongest term weight × (1 if the text asks for instructions, else the
 * term's bare factor), +0.1 when several distinct terms of that category co-occur.
 */
import type { Detector, RawFinding } from '../detector';
import { originalSpan } from '../normalize';
import { asksForInstructions, HARM_CATEGORIES, harmTerms, type HarmHit } from './harm-lexicon';

export function scoreByCategory(hits: readonly HarmHit[], factor: (hit: HarmHit) => number): Map<string, { score: number; hit: HarmHit }> {
  const out = new Map<string, { score: number; hit: HarmHit }>();
  for (const category of HARM_CATEGORIES) {
    const mine = hits.filter((h) => h.category === category);
    if (mine.length === 0) continue;
    let best = mine[0]!;
    let bestScore = -1;
    for (const h of mine) {
      const s = h.weight * factor(h);
      if (s > bestScore) [best, bestScore] = [h, s];
    }
    const distinct = new Set(mine.map((h) => h.matched.replace(/[^a-z]/g, ''))).size;
    out.set(category, { score: Math.min(1, bestScore + (distinct > 1 ? 0.1 : 0)), hit: best });
  }
  return out;
}

export const harmfulRequestDetector: Detector = {
  name: 'harmful-request',
  category: 'LLM01:2025',
  stages: ['input'],
  threshold: 0.6,
  detect(text) {
    const hits = harmTerms(text.text);
    if (hits.length === 0) return [];
    const intent = asksForInstructions(text.text);
    const findings: RawFinding[] = [];
    for (const [category, { score, hit }] of scoreByCategory(hits, (h) => (intent ? 1 : h.bare))) {
      findings.push({
        score,
        span: originalSpan(text, hit.start, hit.end),
        reason: `${category} request${intent ? ' asking for instructions' : ''}: "${hit.matched}"`,
      });
    }
    return findings;
  },
};
