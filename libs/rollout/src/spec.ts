/** Validation of a RolloutSpec: every problem as an issue with a literal code and a path. */
import type { RolloutSpec } from './types';

export type RolloutSpecIssueCode = 'invalid_steps' | 'invalid_interval' | 'invalid_threshold';

export interface RolloutSpecIssue {
  code: RolloutSpecIssueCode;
  path: string;
  message: string;
}

export class RolloutSpecError extends Error {
  override readonly name = 'RolloutSpecError';
  readonly code = 'invalid_rollout_spec';
  readonly retriable = false;
  constructor(readonly issues: readonly RolloutSpecIssue[]) {
    super(`invalid rollout spec: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/**
 * Defaults, each with its reason. Three steps is the shape Argo Rollouts and Flagger
 * tutorials use; a minute per step is long enough for a p99 over ≥100 requests to mean
 * something on a lightly loaded gateway.
 */
export const DEFAULT_ROLLOUT_SPEC: RolloutSpec = Object.freeze({
  steps: [10, 50, 100],
  stepIntervalMs: 60_000,
  analysis: { minRequests: 100, maxErrorRate: 0.05, maxP99LatencyMs: 2_000 },
}) as RolloutSpec;

const isFiniteNonNegative = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
const isFraction = (n: unknown): n is number => isFiniteNonNegative(n) && n <= 1;

export function validateSpec(spec: RolloutSpec): RolloutSpecIssue[] {
  const issues: RolloutSpecIssue[] = [];
  const add = (code: RolloutSpecIssueCode, path: string, message: string) => issues.push({ code, path, message });

  if (!Array.isArray(spec.steps) || spec.steps.length === 0) {
    add('invalid_steps', 'steps', 'needs at least one step');
  } else {
    spec.steps.forEach((w, i) => {
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 100) {
        add('invalid_steps', `steps.${i}`, `weight ${String(w)} is not an integer in 1..100`);
      } else if (i > 0 && w <= (spec.steps[i - 1] as number)) {
        add('invalid_steps', `steps.${i}`, `weight ${w} does not increase on ${String(spec.steps[i - 1])}`);
      }
    });
  }
  if (!isFiniteNonNegative(spec.stepIntervalMs)) {
    add('invalid_interval', 'stepIntervalMs', `${String(spec.stepIntervalMs)} is not a finite number ≥ 0`);
  }
  const a = spec.analysis;
  if (a === undefined || a === null) {
    add('invalid_threshold', 'analysis', 'is required');
    return issues;
  }
  if (!isFiniteNonNegative(a.minRequests) || !Number.isInteger(a.minRequests)) {
    add('invalid_threshold', 'analysis.minRequests', `${String(a.minRequests)} is not an integer ≥ 0`);
  }
  if (!isFraction(a.maxErrorRate)) {
    add('invalid_threshold', 'analysis.maxErrorRate', `${String(a.maxErrorRate)} is not a fraction in 0..1`);
  }
  if (!isFiniteNonNegative(a.maxP99LatencyMs)) {
    add('invalid_threshold', 'analysis.maxP99LatencyMs', `${String(a.maxP99LatencyMs)} is not a finite number ≥ 0`);
  }
  if (a.maxErrorRateIncrease !== undefined && !isFraction(a.maxErrorRateIncrease)) {
    add(
      'invalid_threshold',
      'analysis.maxErrorRateIncrease',
      `${String(a.maxErrorRateIncrease)} is not a fraction in 0..1`,
    );
  }
  return issues;
}

/** Throws a RolloutSpecError listing every issue; returns the spec otherwise. */
export function assertValidSpec(spec: RolloutSpec): RolloutSpec {
  const issues = validateSpec(spec);
  if (issues.length > 0) throw new RolloutSpecError(issues);
  return spec;
}
