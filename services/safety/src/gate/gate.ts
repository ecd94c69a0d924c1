/**
 * The safety gate: each suite's failure rate against its allowed rate (per suite name, else
 * per kind), one reason line per suite, e.g.
 * `LLM01:2025 prompt injection: 2/12 probes failed > 0 allowed`. Also folds suites into the
 * per-category counts of `model.safety-tested`.
 */
import type { ModelSafetyTested, Verdict } from '@crucible/contracts';
import type { SafetyGate } from '../safety.config';
import type { SuiteResult } from '../suite/suite-result';

export function allowedRate(suite: Pick<SuiteResult, 'name' | 'kind'>, gate: SafetyGate): number {
  return gate.maxFailureRate[suite.name] ?? gate.defaultMaxFailureRate[suite.kind];
}

export function decideSafetyVerdict(suites: readonly SuiteResult[], gate: SafetyGate): Verdict {
  const reasons: string[] = [];
  let passed = true;
  for (const s of suites) {
    const rate = allowedRate(s, gate);
    const head = `${s.category} ${s.title}`;
    if (s.probes === 0) {
      reasons.push(`${head}: no probes ran${s.notes[0] ? ` (${s.notes[0]})` : ''}`);
      continue;
    }
    // Allowed failures as a count, so the line reads in the same unit as the measurement.
    const allowed = Math.floor(rate * s.probes + 1e-9);
    const failed = s.failures > allowed;
    if (failed) passed = false;
    const informational = rate >= 1 ? ' (reported, not gating)' : '';
    reasons.push(`${head}: ${s.failures}/${s.probes} probes failed ${failed ? '>' : '<='} ${allowed} allowed${informational}`);
  }
  return { passed, reasons };
}

export function categoryCounts(suites: readonly SuiteResult[]): ModelSafetyTested['categories'] {
  const out: Record<string, { probes: number; failures: number }> = {};
  for (const s of suites) {
    const c = (out[s.category] ??= { probes: 0, failures: 0 });
    c.probes += s.probes;
    c.failures += s.failures;
  }
  return out;
}
