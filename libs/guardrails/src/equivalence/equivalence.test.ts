/**
 * Decision equivalence: the guardrail must take exactly the decisions recorded in the fixture
 * (action, findings with detector, category, severity, score, span, reason, replacement, and
 * the redacted text) on every case of the corpus. The fixture was recorded before the
 * performance work on the code as it was; speed-ups must not move a single decision. Only
 * re-record (record-decisions.ts) when a decision is meant to change.
 */
import { describe, expect, it } from 'vitest';
import { buildCorpus, type Check } from './corpus';
import { decideAll, readFixture } from './decisions';

describe('guardrail decisions', () => {
  it('reproduce the recorded fixture on every case of the equivalence corpus', () => {
    const fixture = readFixture();
    const cases = buildCorpus(fixture.seeds);
    const actual = decideAll(cases);
    expect(Object.keys(actual)).toEqual(Object.keys(fixture.decisions));
    const differing = Object.keys(actual).filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(fixture.decisions[k]));
    // A readable diff of the first few mismatches, each with its input.
    const inputs = new Map<string, Check>(cases.flatMap((c) => c.checks.map((check, i) => [`${c.id}:${i}`, check] as const)));
    const shown = differing.slice(0, 5).map((k) => ({ key: k, check: inputs.get(k.slice(0, k.lastIndexOf(':'))), decision: actual[k] }));
    const expected = differing.slice(0, 5).map((k) => ({ key: k, check: inputs.get(k.slice(0, k.lastIndexOf(':'))), decision: fixture.decisions[k] }));
    expect(shown, `${differing.length} of ${Object.keys(actual).length} decisions differ`).toEqual(expected);
  }, 60_000);
});
