/** A detector made of pattern rules: one finding per rule that matched (its first match). */
import type { DetectorName } from '../decision';
import type { Detector, RawFinding, Stage } from '../detector';
import type { OwaspCategoryId } from '../owasp';
import { matchRules, type Rule } from '../rules';

export interface RuleDetectorSpec {
  readonly name: DetectorName;
  readonly category: OwaspCategoryId;
  readonly stages: readonly Stage[];
  readonly threshold: number;
  readonly rules: readonly Rule[];
  /** Rules matched against the compact form (letters and digits only) — long key phrases only. */
  readonly compactRules?: readonly Rule[];
}

export function ruleDetector(spec: RuleDetectorSpec): Detector {
  return {
    name: spec.name,
    category: spec.category,
    stages: spec.stages,
    threshold: spec.threshold,
    detect(text) {
      const hits = [...matchRules(spec.rules, text), ...matchRules(spec.compactRules ?? [], text.compact)];
      const seen = new Set<string>();
      const findings: RawFinding[] = [];
      for (const hit of hits) {
        // A compact rule shares its id with the spaced one it backs up: report the phrase once.
        if (seen.has(hit.rule.id)) continue;
        seen.add(hit.rule.id);
        findings.push({ score: hit.rule.score, span: { start: hit.start, end: hit.end }, reason: `${hit.rule.reason}: "${hit.matched}"` });
      }
      return findings;
    },
  };
}
