/**
 * The rollout state machine: start, advance on an observation, traffic split.
 * Pure and level-based: `advance` looks only at (state, spec, observation), so the same
 * inputs always give the same output and a restarted controller converges by re-asking.
 * At most one step is taken per call; terminal phases ('promoted', 'rolled-back') absorb.
 */
import { analyze } from './analysis';
import { assertValidSpec } from './spec';
import type { Observation, Route, RolloutEvent, RolloutSpec, RolloutState, Transition } from './types';

export interface StartRolloutInput {
  deployment: string;
  model: string;
  stableVersionId?: string;
  canaryVersionId: string;
  now: number;
}

function withEvents(state: RolloutState, events: RolloutEvent[]): Transition {
  return { state: { ...state, history: [...state.history, ...events] }, events };
}

function promote(state: RolloutState, at: number, reason: string): Transition {
  const event: RolloutEvent = { type: 'promoted', at, canaryWeight: 100, reason };
  return withEvents({ ...state, phase: 'promoted', canaryWeight: 100, reason }, [event]);
}

function rollBack(state: RolloutState, at: number, reason: string): Transition {
  const event: RolloutEvent = { type: 'rolled-back', at, canaryWeight: 0, reason };
  return withEvents({ ...state, phase: 'rolled-back', canaryWeight: 0, reason }, [event]);
}

/** Starts a rollout at the first step, or promotes at once when nothing is serving yet. */
export function startRollout(spec: RolloutSpec, input: StartRolloutInput): Transition {
  assertValidSpec(spec);
  const { deployment, model, stableVersionId, canaryVersionId, now } = input;
  const initial: RolloutState = {
    deployment,
    model,
    ...(stableVersionId !== undefined ? { stableVersionId } : {}),
    canaryVersionId,
    phase: 'progressing',
    stepIndex: 0,
    canaryWeight: spec.steps[0] as number,
    stepStartedAt: now,
    stepStartRequests: 0,
    history: [],
  };
  if (stableVersionId === undefined || stableVersionId === canaryVersionId) {
    const reason = stableVersionId === undefined ? 'no stable version to compare against' : 'canary is already stable';
    const started = withEvents({ ...initial, canaryWeight: 100, stepIndex: spec.steps.length - 1 }, [
      { type: 'started', at: now, canaryWeight: 100 },
    ]);
    const promoted = promote(started.state, now, reason);
    return { state: promoted.state, events: [...started.events, ...promoted.events] };
  }
  return withEvents(initial, [{ type: 'started', at: now, canaryWeight: initial.canaryWeight }]);
}

/** Canary requests during the current step; a counter below the step's start means it reset. */
export function stepRequests(state: RolloutState, observation: Observation): number {
  const total = observation.canary.requests;
  return total >= state.stepStartRequests ? total - state.stepStartRequests : total;
}

/**
 * One reconciliation of the rollout against what was observed. Rolls back on any failing
 * check; advances one step when the step's interval has elapsed, the step has seen
 * `minRequests` canary requests and the analysis passes; promotes after the last step.
 */
export function advance(state: RolloutState, spec: RolloutSpec, observation: Observation): Transition {
  if (state.phase !== 'progressing') return { state, events: [] };
  assertValidSpec(spec);

  const result = analyze(spec.analysis, observation, stepRequests(state, observation));
  if (result.kind === 'fail') return rollBack(state, observation.now, result.reason);
  if (result.kind === 'wait') return { state, events: [] };
  if (observation.now - state.stepStartedAt < spec.stepIntervalMs) return { state, events: [] };

  // A spec edited mid-rollout may have fewer steps: clamp so the rollout still ends.
  const next = Math.min(state.stepIndex, spec.steps.length - 1) + 1;
  if (next >= spec.steps.length) {
    return promote(state, observation.now, `analysis passed on all ${spec.steps.length} steps`);
  }
  const canaryWeight = spec.steps[next] as number;
  const moved: RolloutState = {
    ...state,
    stepIndex: next,
    canaryWeight,
    stepStartedAt: observation.now,
    stepStartRequests: observation.canary.requests,
  };
  return withEvents(moved, [{ type: 'weight-changed', at: observation.now, canaryWeight }]);
}

/** Percent of traffic for the stable and canary versions; always sums to 100. */
export function trafficSplit(state: RolloutState): { stable: number; canary: number } {
  return { stable: 100 - state.canaryWeight, canary: state.canaryWeight };
}

/** The version that serves all traffic once the rollout is over (or now, before it ends). */
export function settledVersion(state: RolloutState): string | undefined {
  return state.phase === 'promoted' ? state.canaryVersionId : state.stableVersionId;
}

/** Routes with a non-zero weight, as the gateway's routing file lists them (stable first). */
export function routes(state: RolloutState): Route[] {
  const split = trafficSplit(state);
  const out: Route[] = [];
  if (state.stableVersionId !== undefined && split.stable > 0) {
    out.push({ version: state.stableVersionId, weight: split.stable });
  }
  if (split.canary > 0) out.push({ version: state.canaryVersionId, weight: split.canary });
  return out;
}
