/**
 * LLM07 system prompt leakage, on outputs: a protected string (a canary planted in the system
 * prompt, a deployment secret) appears — also spaced out, re-cased or split by punctuation,
 * which the compact form catches — or the output shares a long run of consecutive words with
 * the system prompt (the longest common word sequence, garak's `leakreplay` idea).
 */
import type { Detector, RawFinding } from '../detector';
import { normalizeForDetection, originalSpan, type NormalizedText } from '../normalize';
import { allMatches } from '../all-matches';

const WORD = /[a-z0-9]+/g;

interface Word {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

function words(text: NormalizedText): Word[] {
  return allMatches(WORD, text.text).map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

// The system prompt is the same on every check of a stream: its words are split once.
const systemWords = new WeakMap<NormalizedText, { readonly list: readonly string[]; readonly set: ReadonlySet<string> }>();
function wordsOnce(text: NormalizedText): { readonly list: readonly string[]; readonly set: ReadonlySet<string> } {
  let w = systemWords.get(text);
  if (!w) {
    const list = words(text).map((x) => x.word).slice(0, MAX_WORDS);
    systemWords.set(text, (w = { list, set: new Set(list) }));
  }
  return w;
}

/** Longest run of consecutive words of `out` that each occur in `vocabulary`: a bound on any common run. */
function longestKnownStreak(out: readonly Word[], vocabulary: ReadonlySet<string>): number {
  let best = 0;
  let streak = 0;
  for (const w of out) {
    streak = vocabulary.has(w.word) ? streak + 1 : 0;
    if (streak > best) best = streak;
  }
  return best;
}

/** Longest run of consecutive equal words: its length and where it ends in `a`. */
export function longestCommonRun(a: readonly string[], b: readonly string[]): { length: number; endA: number } {
  let best = { length: 0, endA: 0 };
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : 0;
      if (cur[j]! > best.length) best = { length: cur[j]!, endA: i };
    }
    [prev, cur] = [cur, prev];
    cur.fill(0);
  }
  return best;
}

// A gateway checks every growing output against the same system prompt and canaries:
// normalise each of them once (a small bounded memo, oldest evicted first).
const MEMO_LIMIT = 64;
const memo = new Map<string, NormalizedText>();
function normalizedOnce(text: string): NormalizedText {
  let n = memo.get(text);
  if (!n) {
    n = normalizeForDetection(text);
    if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
    memo.set(text, n);
  }
  return n;
}

// Bounds the O(n·m) comparison; a leak longer than this is found within the first window anyway.
const MAX_WORDS = 4000;

function canaryFindings(text: NormalizedText, protectedStrings: readonly string[]): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const secret of protectedStrings) {
    const needle = normalizedOnce(secret).compact.text;
    if (needle.length < 4) continue;
    const at = text.compact.text.indexOf(needle);
    if (at === -1) continue;
    findings.push({
      score: 1,
      severity: 'critical',
      span: originalSpan(text.compact, at, at + needle.length),
      reason: 'protected string (canary) disclosed',
      replacement: '[REDACTED]',
    });
  }
  return findings;
}

function overlapFinding(text: NormalizedText, systemPrompt: string, minWords: number): RawFinding[] {
  const out = words(text).slice(0, MAX_WORDS);
  const { list: sys, set: vocabulary } = wordsOnce(normalizedOnce(systemPrompt));
  if (sys.length === 0 || out.length === 0) return [];
  // A short system prompt leaks whole well before `minWords`: half of it counts too.
  const needed = Math.min(minWords, Math.max(3, Math.ceil(sys.length / 2)));
  // Most outputs never string `needed` system-prompt words together: skip the O(n·m) search.
  if (longestKnownStreak(out, vocabulary) < needed) return [];
  const run = longestCommonRun(out.map((w) => w.word), sys);
  if (run.length < needed) return [];
  const first = out[run.endA - run.length]!;
  const last = out[run.endA - 1]!;
  return [
    {
      score: Math.min(1, 0.6 + 0.4 * (run.length / Math.max(needed, sys.length))),
      span: originalSpan(text, first.start, last.end),
      reason: `output repeats ${run.length} consecutive words of the system prompt (${sys.length} words)`,
      replacement: '[REDACTED]',
    },
  ];
}

export const systemPromptLeakageDetector: Detector = {
  name: 'system-prompt-leakage',
  category: 'LLM07:2025',
  stages: ['output'],
  threshold: 0.5,
  detect(text, { systemPrompt, protectedStrings, options }) {
    return [
      ...canaryFindings(text, protectedStrings ?? []),
      ...(systemPrompt ? overlapFinding(text, systemPrompt, options.minOverlapWords) : []),
    ];
  },
};
