import { describe, expect, it } from 'vitest';
import { advance, routes, settledVersion, startRollout, stepRequests, trafficSplit } from './rollout';
import type { Observation, RolloutSpec, RolloutState } from './types';

const spec: RolloutSpec = {
  steps: [10, 50, 100],
  stepIntervalMs: 1_000,
  analysis: { minRequests: 10, maxErrorRate: 0.05, maxP99LatencyMs: 500 },
};
const healthy = (now: number, requests: number, extra: Partial<Observation> = {}): Observation => ({
  now,
  canary: { requests, errors: 0, p99LatencyMs: 100 },
  ...extra,
});
const start = () =>
  startRollout(spec, { deployment: 'sotu', model: 'sotu', stableVersionId: 'sotu@3', canaryVersionId: 'sotu@4', now: 0 });

describe('startRollout', () => {
  it('starts at the first step with a started event', () => {
    const { state, events } = start();
    expect(state).toMatchObject({ phase: 'progressing', stepIndex: 0, canaryWeight: 10, stepStartedAt: 0 });
    expect(events).toEqual([{ type: 'started', at: 0, canaryWeight: 10 }]);
    expect(state.history).toEqual(events);
  });

  it('promotes at once when there is no stable version', () => {
    const { state, events } = startRollout(spec, { deployment: 'd', model: 'm', canaryVersionId: 'm@1', now: 5 });
    expect(state.phase).toBe('promoted');
    expect(trafficSplit(state)).toEqual({ stable: 0, canary: 100 });
    expect(events.map((e) => e.type)).toEqual(['started', 'promoted']);
    expect(routes(state)).toEqual([{ version: 'm@1', weight: 100 }]);
  });

  it('rejects an invalid spec', () => {
    expect(() => startRollout({ ...spec, steps: [] }, { deployment: 'd', model: 'm', canaryVersionId: 'm@1', now: 0 })).toThrow(
      /steps: needs at least one step/,
    );
  });
});

describe('advance', () => {
  it('waits for the interval even with enough requests', () => {
    const { state } = start();
    const r = advance(state, spec, healthy(999, 50));
    expect(r.events).toEqual([]);
    expect(r.state).toBe(state);
  });

  it('waits for minRequests even after the interval', () => {
    const { state } = start();
    expect(advance(state, spec, healthy(5_000, 9)).events).toEqual([]);
  });

  it('walks every step then promotes, requiring minRequests per step', () => {
    let { state } = start();
    state = advance(state, spec, healthy(1_000, 10)).state;
    expect(state).toMatchObject({ stepIndex: 1, canaryWeight: 50, stepStartedAt: 1_000, stepStartRequests: 10 });
    // 15 cumulative = only 5 in this step: not enough yet.
    expect(advance(state, spec, healthy(2_000, 15)).events).toEqual([]);
    state = advance(state, spec, healthy(2_000, 20)).state;
    expect(state.canaryWeight).toBe(100);
    const last = advance(state, spec, healthy(3_000, 30));
    expect(last.state.phase).toBe('promoted');
    expect(last.events).toEqual([
      { type: 'promoted', at: 3_000, canaryWeight: 100, reason: 'analysis passed on all 3 steps' },
    ]);
    expect(last.state.history.map((e) => [e.type, e.canaryWeight])).toEqual([
      ['started', 10],
      ['weight-changed', 50],
      ['weight-changed', 100],
      ['promoted', 100],
    ]);
    expect(settledVersion(last.state)).toBe('sotu@4');
  });

  it('rolls back on a canary error rate above the threshold with a precise reason', () => {
    const { state } = start();
    const r = advance(state, spec, { now: 10, canary: { requests: 1000, errors: 71, p99LatencyMs: 10 } });
    expect(r.state.phase).toBe('rolled-back');
    expect(r.state.reason).toBe('canary error rate 7.1% > 5%');
    expect(trafficSplit(r.state)).toEqual({ stable: 100, canary: 0 });
    expect(routes(r.state)).toEqual([{ version: 'sotu@3', weight: 100 }]);
    expect(settledVersion(r.state)).toBe('sotu@3');
  });

  it('rolls back before minRequests when the errors alone already exceed the rate', () => {
    const { state } = start();
    const r = advance(state, spec, { now: 10, canary: { requests: 3, errors: 1, p99LatencyMs: 10 } });
    expect(r.state.reason).toBe('canary errors 1 of at least 10 requests (10%) > 5%');
  });

  it('does not judge latency before minRequests', () => {
    const { state } = start();
    expect(advance(state, spec, { now: 10, canary: { requests: 3, errors: 0, p99LatencyMs: 9_999 } }).events).toEqual([]);
  });

  it('rolls back on p99 latency', () => {
    const { state } = start();
    const r = advance(state, spec, { now: 10, canary: { requests: 10, errors: 0, p99LatencyMs: 812 } });
    expect(r.state.reason).toBe('canary p99 latency 812ms > 500ms');
  });

  it('rolls back on an error-rate increase over stable only when stable has enough requests', () => {
    const s = { ...spec, analysis: { ...spec.analysis, maxErrorRateIncrease: 0.01 } };
    const { state } = startRollout(s, { deployment: 'd', model: 'm', stableVersionId: 'm@1', canaryVersionId: 'm@2', now: 0 });
    const canary = { requests: 100, errors: 4, p99LatencyMs: 1 };
    const thin = advance(state, s, { now: 10, canary, stable: { requests: 5, errors: 0, p99LatencyMs: 1 } });
    expect(thin.state.phase).toBe('progressing');
    const r = advance(state, s, { now: 10, canary, stable: { requests: 1000, errors: 10, p99LatencyMs: 1 } });
    expect(r.state.reason).toBe('canary error rate 4% exceeds stable 1% by 3% > 1%');
  });

  it('rolls back on a false evaluation or safety verdict, and ignores absent verdicts', () => {
    const { state } = start();
    expect(advance(state, spec, healthy(1, 0, { verdicts: { evaluation: false } })).state.reason).toBe(
      'evaluation verdict failed',
    );
    expect(advance(state, spec, healthy(1, 0, { verdicts: { safety: false } })).state.reason).toBe('safety verdict failed');
    expect(advance(state, spec, healthy(1_000, 10, { verdicts: {} })).state.canaryWeight).toBe(50);
  });

  it('treats a canary counter below the step start as a reset', () => {
    const state: RolloutState = { ...start().state, stepStartRequests: 500 };
    expect(stepRequests(state, healthy(0, 12))).toBe(12);
    expect(stepRequests(state, healthy(0, 512))).toBe(12);
  });

  it('still ends when the spec loses steps mid-rollout', () => {
    let { state } = start();
    state = advance(state, spec, healthy(1_000, 10)).state;
    state = advance(state, spec, healthy(2_000, 20)).state;
    const shorter = { ...spec, steps: [25] };
    expect(advance(state, shorter, healthy(3_000, 30)).state.phase).toBe('promoted');
  });
});
