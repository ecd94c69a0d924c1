/**
 * Canary analysis: one observation against the spec's thresholds. `fail` is final (the
 * rollout rolls back); `wait` means not enough evidence yet; `pass` lets a due step advance.
 * Failing checks come before waiting ones so that certain failure is never postponed.
 */
import type { Observation, RolloutAnalysis, VersionMetrics } from './types';

export type AnalysisResult =
  | { kind: 'pass' }
  | { kind: 'wait'; reason: string }
  | { kind: 'fail'; reason: string };

export function formatPercent(fraction: number): string {
  // One decimal, trailing ".0" dropped: 0.071 → "7.1%", 0.05 → "5%".
  return `${Number((fraction * 100).toFixed(1))}%`;
}

const errorRate = (m: VersionMetrics) => (m.requests > 0 ? m.errors / m.requests : 0);

/**
 * Judges the quality gates and the canary's metrics.
 * @param stepRequests canary requests seen during the current step.
 */
export function analyze(analysis: RolloutAnalysis, observation: Observation, stepRequests: number): AnalysisResult {
  const { verdicts, canary, stable } = observation;
  if (verdicts?.evaluation === false) return { kind: 'fail', reason: 'evaluation verdict failed' };
  if (verdicts?.safety === false) return { kind: 'fail', reason: 'safety verdict failed' };

  const { minRequests, maxErrorRate, maxP99LatencyMs, maxErrorRateIncrease } = analysis;
  const enough = canary.requests >= minRequests;

  if (enough) {
    const rate = errorRate(canary);
    if (rate > maxErrorRate) {
      return { kind: 'fail', reason: `canary error rate ${formatPercent(rate)} > ${formatPercent(maxErrorRate)}` };
    }
  } else if (minRequests > 0 && canary.errors / minRequests > maxErrorRate) {
    // Even if every request still missing to minRequests succeeded, the rate would be too high.
    return {
      kind: 'fail',
      reason:
        `canary errors ${canary.errors} of at least ${minRequests} requests ` +
        `(${formatPercent(canary.errors / minRequests)}) > ${formatPercent(maxErrorRate)}`,
    };
  }

  if (enough && canary.p99LatencyMs > maxP99LatencyMs) {
    return { kind: 'fail', reason: `canary p99 latency ${canary.p99LatencyMs}ms > ${maxP99LatencyMs}ms` };
  }

  if (enough && maxErrorRateIncrease !== undefined && stable !== undefined && stable.requests >= minRequests) {
    const increase = errorRate(canary) - errorRate(stable);
    if (increase > maxErrorRateIncrease) {
      return {
        kind: 'fail',
        reason:
          `canary error rate ${formatPercent(errorRate(canary))} exceeds stable ` +
          `${formatPercent(errorRate(stable))} by ${formatPercent(increase)} > ${formatPercent(maxErrorRateIncrease)}`,
      };
    }
  }

  if (stepRequests < minRequests) {
    return { kind: 'wait', reason: `canary has ${stepRequests} of ${minRequests} requests needed in this step` };
  }
  return { kind: 'pass' };
}
