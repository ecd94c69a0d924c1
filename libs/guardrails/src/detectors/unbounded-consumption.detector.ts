/**
 * LLM10 unbounded consumption, on inputs: requests for endless or huge outputs ("repeat this
 * forever", "write 100000 words"), oversized inputs, and token floods (one word making up most
 * of a long input). The "repeat a word forever" prompt is also the training-data extraction
 * attack of Nasr et al. 2023, so it is worth stopping at the door.
 */
import type { Detector, RawFinding } from '../detector';
import { originalSpan } from '../normalize';
import { matchRules, rx, type Rule } from '../rules';

const VERBS = '(?:repeat|say|write|print|output|type|list|generate|produce|count|spell|recite|echo|continue)';

const RULES: readonly Rule[] = [
  { id: 'forever', pattern: rx(`${VERBS}\\b[^.!?\\n]{0,60}\\b(?:forever|infinitely|endlessly|indefinitely|non-?stop|without (?:ever )?stopping|until (?:the end of time|you (?:run out|crash|die))|for ever)`), score: 0.85, reason: 'asks for output without end' },
  { id: 'never-stop', pattern: rx(`(?:never|don'?t|do not|doesn'?t) (?:ever )?stop (?:writing|generating|talking|responding|repeating|typing|counting|printing)`), score: 0.75, reason: 'asks the model never to stop' },
  { id: 'endless', pattern: rx(`(?:infinite|endless|never-? ?ending|unlimited) (?:loop|list|story|text|output|sequence|response|stream)`), score: 0.7, reason: 'asks for an endless output' },
];

const HUGE_COUNT = rx(`${VERBS}\\b[^.!?\\n]{0,60}?\\b(\\d{1,3}(?:,\\d{3})+|\\d+|a (?:million|billion|trillion)|(?:millions|billions|trillions))\\b ?(?:times|words|pages|tokens|lines|characters|paragraphs|digits|items|sentences|copies)`);

function parseCount(s: string): number {
  if (/million/.test(s)) return 1e6;
  if (/billion/.test(s)) return 1e9;
  if (/trillion/.test(s)) return 1e12;
  return Number(s.replace(/,/g, ''));
}

export const unboundedConsumptionDetector: Detector = {
  name: 'unbounded-consumption',
  category: 'LLM10:2025',
  stages: ['input'],
  threshold: 0.5,
  detect(text, { options }) {
    const findings: RawFinding[] = matchRules(RULES, text).map((h) => ({
      score: h.rule.score,
      span: { start: h.start, end: h.end },
      reason: `${h.rule.reason}: "${h.matched}"`,
    }));
    for (const m of text.text.matchAll(HUGE_COUNT)) {
      const n = parseCount(m[1]!);
      if (n < options.repetitionLimit) continue;
      findings.push({ score: n >= options.repetitionLimit * 10 ? 0.9 : 0.7, span: originalSpan(text, m.index, m.index + m[0].length), reason: `asks for ${n} repetitions or units of output (limit ${options.repetitionLimit})` });
    }
    if (text.original.length > options.maxInputChars) {
      findings.push({ score: 0.9, reason: `input of ${text.original.length} characters exceeds ${options.maxInputChars}` });
    }
    const tokens = text.text.match(/[a-z0-9]+/g) ?? [];
    if (tokens.length >= 200) {
      const counts = new Map<string, number>();
      for (const w of tokens) counts.set(w, (counts.get(w) ?? 0) + 1);
      const [word, top] = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a));
      if (top / tokens.length > 0.5) findings.push({ score: 0.6, reason: `token flood: "${word}" is ${top} of ${tokens.length} words` });
    }
    return findings;
  },
};
