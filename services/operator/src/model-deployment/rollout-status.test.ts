import type { ModelDeployment } from '@crucible/crds';
import { advance, startRollout } from '@crucible/rollout';
import { describe, expect, it } from 'vitest';
import { activeVersions } from './model-deployment.reconciler';
import { parseRouting, renderRouting, withRoutes } from './routing-config';
import { HISTORY_LIMIT, rolloutSpecOf, stateFromStatus, statusFromState } from './rollout-status';

const md: ModelDeployment = {
  apiVersion: 'crucible.dev/v1alpha1',
  kind: 'ModelDeployment',
  metadata: { name: 'sotu', namespace: 'ns' },
  spec: {
    model: 'sotu',
    rollout: { steps: [10, 100], stepIntervalSeconds: 2, analysis: { minRequests: 1, maxErrorRate: 0.1, maxP99LatencyMs: 100 } },
    serving: { image: 'i' },
  },
};

describe('rollout state in status', () => {
  it('round-trips through the status so a restarted operator continues', () => {
    const spec = rolloutSpecOf(md);
    expect(spec.stepIntervalMs).toBe(2_000);
    const started = startRollout(spec, { deployment: 'sotu', model: 'sotu', stableVersionId: 'sotu@1', canaryVersionId: 'sotu@2', now: 1_000 });
    const status = statusFromState(undefined, started.state, started.events);
    const restored = stateFromStatus({ ...md, status })!;
    const obs = { now: 3_000, canary: { requests: 5, errors: 0, p99LatencyMs: 1 } };
    // Same decision; history lives in status.history, not in the restored machine state.
    const { history: _a, ...fromStatus } = advance(restored, spec, obs).state;
    const { history: _b, ...uninterrupted } = advance(started.state, spec, obs).state;
    expect(fromStatus).toEqual(uninterrupted);
    expect(fromStatus.canaryWeight).toBe(100);
    expect(status.history).toEqual([{ type: 'started', at: '1970-01-01T00:00:01.000Z', canaryWeight: 10, stableVersionId: 'sotu@1', canaryVersionId: 'sotu@2' }]);
  });

  it('bounds the history and moves the outbox cursor with it', () => {
    const started = startRollout(rolloutSpecOf(md), { deployment: 'sotu', model: 'sotu', stableVersionId: 'sotu@1', canaryVersionId: 'sotu@2', now: 0 });
    const long = Array.from({ length: HISTORY_LIMIT }, () => started.events[0]!);
    const status = statusFromState({ history: [], publishedEvents: 0 }, started.state, long);
    const next = statusFromState({ ...status, publishedEvents: HISTORY_LIMIT }, started.state, started.events);
    expect(next.history).toHaveLength(HISTORY_LIMIT);
    expect(next.publishedEvents).toBe(HISTORY_LIMIT - 1);
  });

  it('keeps workloads for both versions while progressing, the survivor after', () => {
    const spec = rolloutSpecOf(md);
    const s = startRollout(spec, { deployment: 'd', model: 'm', stableVersionId: 'm@1', canaryVersionId: 'm@2', now: 0 }).state;
    expect(activeVersions(s, undefined)).toEqual(['m@1', 'm@2']);
    expect(activeVersions({ ...s, phase: 'promoted', canaryWeight: 100 }, undefined)).toEqual(['m@2']);
    expect(activeVersions({ ...s, phase: 'rolled-back', canaryWeight: 0 }, undefined)).toEqual(['m@1']);
    expect(activeVersions(undefined, 'm@1')).toEqual(['m@1']);
  });

  it('edits one model in the shared routing file', () => {
    const table = withRoutes(parseRouting('{"b":[{"version":"b@1","weight":100}]}'), 'a', [{ version: 'a@2', weight: 100 }]);
    expect(renderRouting(table)).toBe('{\n  "a": [\n    {\n      "version": "a@2",\n      "weight": 100\n    }\n  ],\n  "b": [\n    {\n      "version": "b@1",\n      "weight": 100\n    }\n  ]\n}\n');
    expect(withRoutes(table, 'a', undefined)).toEqual({ b: [{ version: 'b@1', weight: 100 }] });
    expect(parseRouting('not json')).toEqual({});
  });
});
