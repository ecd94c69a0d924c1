/**
 * Types of the rollout state machine. Everything here is plain data (JSON-safe) so a state
 * can live in a Kubernetes status, a SQLite row or memory and be fed back unchanged.
 */

/** How a canary is ramped and judged. Mirrors Argo Rollouts' `steps` / Flagger's `analysis`. */
export interface RolloutSpec {
  /** Canary weights in percent, strictly increasing, each in 1..100, e.g. `[10, 50, 100]`. */
  steps: number[];
  /** Minimum time spent on each step before it may advance. */
  stepIntervalMs: number;
  analysis: RolloutAnalysis;
}

export interface RolloutAnalysis {
  /** Canary requests needed during a step before it may advance (and before latency is judged). */
  minRequests: number;
  /** Highest tolerated canary error rate, a fraction in 0..1 (0.05 = 5%). */
  maxErrorRate: number;
  /** Highest tolerated canary p99 latency in milliseconds. */
  maxP99LatencyMs: number;
  /**
   * Highest tolerated excess of the canary error rate over the stable one, a fraction in 0..1
   * (0.02 = two percentage points). Judged only when the stable version has ≥ minRequests.
   */
  maxErrorRateIncrease?: number;
}

/** Traffic metrics of one version, cumulative since the version started serving. */
export interface VersionMetrics {
  requests: number;
  errors: number;
  p99LatencyMs: number;
}

/** What the caller saw at `now`: canary (and stable) metrics and the quality gates' verdicts. */
export interface Observation {
  now: number;
  canary: VersionMetrics;
  stable?: VersionMetrics;
  /** `false` rolls back; `undefined` means "no verdict", which does not block. */
  verdicts?: { evaluation?: boolean; safety?: boolean };
}

export type RolloutPhase = 'progressing' | 'promoted' | 'rolled-back';

export type RolloutEventType = 'started' | 'weight-changed' | 'promoted' | 'rolled-back';

export interface RolloutEvent {
  type: RolloutEventType;
  at: number;
  canaryWeight: number;
  reason?: string;
}

export interface RolloutState {
  /** The deployment (e.g. ModelDeployment name) this rollout belongs to. */
  deployment: string;
  model: string;
  /** The version serving before the rollout; absent for a model's first version. */
  stableVersionId?: string;
  canaryVersionId: string;
  phase: RolloutPhase;
  /** Index into `spec.steps` of the current step (the last step once promoted). */
  stepIndex: number;
  /** Percent of traffic on the canary: the step's weight, 100 once promoted, 0 once rolled back. */
  canaryWeight: number;
  stepStartedAt: number;
  /**
   * Canary requests already counted when the current step started, so `minRequests` is
   * judged per step on cumulative counters (a counter below it means the counter reset).
   */
  stepStartRequests: number;
  reason?: string;
  history: RolloutEvent[];
}

/** What a transition returns: the next state and the events it produced (in order). */
export interface Transition {
  state: RolloutState;
  events: RolloutEvent[];
}

/** One route of a weighted traffic split, as in the gateway's routing file. */
export interface Route {
  version: string;
  weight: number;
}
