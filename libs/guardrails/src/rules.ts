/**
 * Pattern rules over normalised text. A rule is written with plain spaces between words;
 * `rx` turns each space into "any run of non-alphanumerics", so "ignore previous" also
 * matches "ignore...previous", "ignore-previous" and, after spaced letters were joined,
 * "ignoreprevious".
 */
import { originalSpan, type MappedText } from './normalize';
import { Prefilter } from './prefilter';
import { allMatches } from './all-matches';

/** A global, case-insensitive regex whose literal spaces match any non-alphanumeric gap (or none). */
export function rx(source: string, flags = ''): RegExp {
  return new RegExp(source.replace(/ /g, '[^a-z0-9]*'), `g${flags}`);
}

export interface Rule {
  readonly id: string;
  readonly pattern: RegExp;
  readonly score: number;
  readonly reason: string;
}

export interface RuleHit {
  readonly rule: Rule;
  /** Span in the original text. */
  readonly start: number;
  readonly end: number;
  readonly matched: string;
}

// One prefilter per rule list (the lists are module constants, so this stays small).
const prefilters = new WeakMap<readonly Rule[], Prefilter>();

/** Every match of every rule in `mapped`, spans mapped back to the original text. */
export function matchRules(rules: readonly Rule[], mapped: MappedText): RuleHit[] {
  if (rules.length === 0) return [];
  let prefilter = prefilters.get(rules);
  if (!prefilter) prefilters.set(rules, (prefilter = new Prefilter(rules.map((r) => r.pattern))));
  const hits: RuleHit[] = [];
  // Rules the prefilter rules out have no match; the rest run in order, as before.
  for (const i of prefilter.candidates(mapped.text)) {
    const rule = rules[i]!;
    for (const m of allMatches(rule.pattern, mapped.text)) {
      if (m[0].length === 0) continue;
      const span = originalSpan(mapped, m.index, m.index + m[0].length);
      hits.push({ rule, ...span, matched: m[0] });
    }
  }
  return hits;
}

/** The highest-scoring hit (first on ties), or undefined. */
export function strongest<T extends { readonly rule: Rule }>(hits: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const h of hits) if (!best || h.rule.score > best.rule.score) best = h;
  return best;
}
