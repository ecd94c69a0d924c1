/**
 * LLM10 unbounded consumption, on inputs: requests for endless or huge outputs ("repeat this
 * forever", "write 100000 words"), oversized inputs, and token floods (one word making up most
 * of a long input). The "repeat a word forever" prompt is also the training-data extraction
 * attack of Nasr et al. 2023, so it is worth stopping at the door.
 */
import type { Detector, RawFinding } from '../detector';
import { originalSpan } from '../normalize';
import { matchRules, rx, type Rule } from '../rules';
import { allMatches } from '../all-matches';

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
    for (const m of allMatches(HUGE_COUNT, text.text)) {
      const n = parseCount(m[1]!);
      if (n < options.repetitionLimit) continue;
      findings.push({ score: n >= options.repetitionLimit * 10 ? 0.9 : 0.7, span: originalSpan(text, m.index, m.index + m[0].length), reason: `asks for ${n} repetitions or units of output (limit ${options.repetitionLimit})` });
    }
    if (text.original.length > options.maxInputChars) {
      findings.push({ score: 0.9, reason: `input of ${text.original.length} characters exceeds ${options.maxInputChars}` });
    }
    const flood = tokenFlood(text.text);
    if (flood) findings.push({ score: 0.6, reason: `token flood: "${flood.word}" is ${flood.top} of ${flood.words} words` });
    return findings;
  },
};

const isWordUnit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * The word (`[a-z0-9]+`) making up more than half of 200+ words, if any. Only a majority
 * counts, so a majority vote (Boyer–Moore) finds the one candidate and a second pass counts
 * it: no array of words, no map of counts, on every long text.
 */
function tokenFlood(text: string): { word: string; top: number; words: number } | undefined {
  // 200 words take at least 399 units.
  if (text.length < 399) return undefined;
  let words = 0;
  let candidate = '';
  let votes = 0;
  let top = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < text.length; ) {
      if (!isWordUnit(text.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      while (i < text.length && isWordUnit(text.charCodeAt(i))) i++;
      const isCandidate = i - start === candidate.length && text.startsWith(candidate, start);
      if (pass === 1) {
        if (isCandidate) top++;
      } else {
        words++;
        if (votes === 0) [candidate, votes] = [text.slice(start, i), 1];
        else votes += isCandidate ? 1 : -1;
      }
    }
    if (words < 200) return undefined;
  }
  return top / words > 0.5 ? { word: candidate, top, words } : undefined;
}
