import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLOUT_SPEC, RolloutSpecError, assertValidSpec, validateSpec } from './spec';
import type { RolloutSpec } from './types';

describe('validateSpec', () => {
  it('accepts the defaults', () => {
    expect(validateSpec(DEFAULT_ROLLOUT_SPEC)).toEqual([]);
  });

  it('lists every problem with its path', () => {
    const bad = {
      steps: [10, 10, 101, 2.5],
      stepIntervalMs: -1,
      analysis: { minRequests: 1.5, maxErrorRate: 5, maxP99LatencyMs: Number.NaN, maxErrorRateIncrease: -0.1 },
    } as RolloutSpec;
    expect(validateSpec(bad).map((i) => i.path)).toEqual([
      'steps.1',
      'steps.2',
      'steps.3',
      'stepIntervalMs',
      'analysis.minRequests',
      'analysis.maxErrorRate',
      'analysis.maxP99LatencyMs',
      'analysis.maxErrorRateIncrease',
    ]);
  });

  it('assertValidSpec throws a typed, non-retriable error', () => {
    try {
      assertValidSpec({ ...DEFAULT_ROLLOUT_SPEC, steps: [] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RolloutSpecError);
      expect((e as RolloutSpecError).retriable).toBe(false);
      expect((e as RolloutSpecError).issues[0]?.code).toBe('invalid_steps');
    }
  });
});
