/** Properties that must hold for any spec and any sequence of observations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, startRollout, trafficSplit } from './rollout';
import type { Observation, RolloutSpec } from './types';

const specArb: fc.Arbitrary<RolloutSpec> = fc
  .uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 })
  .chain((weights) =>
    fc.record({
      steps: fc.constant([...weights].sort((a, b) => a - b)),
      stepIntervalMs: fc.integer({ min: 0, max: 10_000 }),
      analysis: fc.record(
        {
          minRequests: fc.integer({ min: 0, max: 200 }),
          maxErrorRate: fc.double({ min: 0, max: 1, noNaN: true }),
          maxP99LatencyMs: fc.integer({ min: 0, max: 5_000 }),
          maxErrorRateIncrease: fc.double({ min: 0, max: 1, noNaN: true }),
        },
        { requiredKeys: ['minRequests', 'maxErrorRate', 'maxP99LatencyMs'] },
      ),
    }),
  );

const metricsArb = fc
  .record({ requests: fc.integer({ min: 0, max: 5_000 }), errorShare: fc.double({ min: 0, max: 0.2, noNaN: true }), p99: fc.integer({ min: 0, max: 6_000 }) })
  .map(({ requests, errorShare, p99 }) => ({ requests, errors: Math.floor(requests * errorShare), p99LatencyMs: p99 }));

/** Time moves forward by a random delta; verdicts are mostly absent or true. */
const observationsArb = fc.array(
  fc.record({
    dt: fc.integer({ min: 0, max: 20_000 }),
    canary: metricsArb,
    stable: fc.option(metricsArb, { nil: undefined }),
    verdicts: fc.option(fc.record({ evaluation: fc.boolean(), safety: fc.boolean() }, { requiredKeys: [] }), { nil: undefined }),
  }),
  { maxLength: 30 },
);

function run(spec: RolloutSpec, steps: Array<{ dt: number } & Omit<Observation, 'now'>>, hasStable: boolean) {
  let now = 1_000;
  let { state } = startRollout(spec, {
    deployment: 'd',
    model: 'm',
    ...(hasStable ? { stableVersionId: 'm@1' } : {}),
    canaryVersionId: 'm@2',
    now,
  });
  const states = [state];
  for (const { dt, ...rest } of steps) {
    now += dt;
    state = advance(state, spec, { now, ...rest }).state;
    states.push(state);
  }
  return states;
}

describe('rollout properties', () => {
  it('canary weight never decreases while progressing, and the split always sums to 100', () => {
    fc.assert(
      fc.property(specArb, observationsArb, fc.boolean(), (spec, obs, hasStable) => {
        const states = run(spec, obs, hasStable);
        for (let i = 1; i < states.length; i++) {
          const prev = states[i - 1]!;
          const cur = states[i]!;
          const split = trafficSplit(cur);
          expect(split.stable + split.canary).toBe(100);
          expect(split.canary).toBeGreaterThanOrEqual(0);
          if (cur.phase === 'progressing') expect(cur.canaryWeight).toBeGreaterThanOrEqual(prev.canaryWeight);
          if (cur.phase === 'promoted') expect(cur.canaryWeight).toBe(100);
          if (cur.phase === 'rolled-back') expect(cur.canaryWeight).toBe(0);
          expect(cur.history.length).toBeGreaterThanOrEqual(prev.history.length);
        }
      }),
    );
  });

  it('terminal phases absorb every later observation', () => {
    fc.assert(
      fc.property(specArb, observationsArb, observationsArb, (spec, first, later) => {
        const states = run(spec, first, true);
        const terminal = states.find((s) => s.phase !== 'progressing');
        if (terminal === undefined) return;
        let now = terminal.stepStartedAt;
        for (const { dt, ...rest } of later) {
          now += dt;
          const r = advance(terminal, spec, { now, ...rest });
          expect(r.state).toBe(terminal);
          expect(r.events).toEqual([]);
        }
      }),
    );
  });

  it('is deterministic: the same state and observation give the same result', () => {
    fc.assert(
      fc.property(specArb, observationsArb, (spec, obs) => {
        const a = run(spec, obs, true);
        const b = run(structuredClone(spec), structuredClone(obs), true);
        expect(b).toEqual(a);
      }),
    );
  });

  it('takes at most one step per observation and only after the interval', () => {
    fc.assert(
      fc.property(specArb, observationsArb, (spec, obs) => {
        const states = run(spec, obs, true);
        for (let i = 1; i < states.length; i++) {
          const prev = states[i - 1]!;
          const cur = states[i]!;
          if (cur.phase === 'progressing' && cur.stepIndex !== prev.stepIndex) {
            expect(cur.stepIndex).toBe(prev.stepIndex + 1);
            expect(cur.stepStartedAt - prev.stepStartedAt).toBeGreaterThanOrEqual(spec.stepIntervalMs);
          }
        }
      }),
    );
  });

  it('a false verdict always rolls a progressing rollout back', () => {
    fc.assert(
      fc.property(specArb, metricsArb, fc.constantFrom('evaluation', 'safety'), (spec, canary, gate) => {
        const { state } = startRollout(spec, { deployment: 'd', model: 'm', stableVersionId: 'm@1', canaryVersionId: 'm@2', now: 0 });
        const r = advance(state, spec, { now: 1, canary, verdicts: { [gate]: false } });
        expect(r.state.phase).toBe('rolled-back');
        expect(r.state.reason).toBe(`${gate} verdict failed`);
      }),
    );
  });
});
