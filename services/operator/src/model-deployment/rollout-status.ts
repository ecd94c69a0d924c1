/**
 * ModelDeployment ⇄ @crucible/rollout: the CRD's rollout spec (seconds) to a RolloutSpec (ms),
 * the persisted status to a RolloutState and back. The status *is* the state machine's
 * storage, so a restarted operator continues exactly where the last one stopped.
 */
import type { ModelDeployment, ModelDeploymentPhase, ModelDeploymentStatus, RolloutHistoryEntry } from '@crucible/crds';
import { DEFAULT_ROLLOUT_SPEC, type RolloutEvent, type RolloutPhase, type RolloutSpec, type RolloutState } from '@crucible/rollout';

/** History kept in status: enough for several rollouts, bounded so the object stays small. */
export const HISTORY_LIMIT = 50;

export function rolloutSpecOf(md: ModelDeployment): RolloutSpec {
  const r = md.spec.rollout;
  if (!r) return DEFAULT_ROLLOUT_SPEC;
  return {
    steps: r.steps,
    stepIntervalMs: r.stepIntervalSeconds * 1000,
    analysis: {
      minRequests: r.analysis.minRequests,
      maxErrorRate: r.analysis.maxErrorRate,
      maxP99LatencyMs: r.analysis.maxP99LatencyMs,
      ...(r.analysis.maxErrorRateIncrease !== undefined ? { maxErrorRateIncrease: r.analysis.maxErrorRateIncrease } : {}),
    },
  };
}

const PHASE_TO_STATUS: Record<RolloutPhase, ModelDeploymentPhase> = {
  progressing: 'Progressing',
  promoted: 'Promoted',
  'rolled-back': 'RolledBack',
};
const STATUS_TO_PHASE: Partial<Record<ModelDeploymentPhase, RolloutPhase>> = {
  Progressing: 'progressing',
  Promoted: 'promoted',
  RolledBack: 'rolled-back',
};

/** The rollout state stored in status, or undefined when the status holds no rollout. */
export function stateFromStatus(md: ModelDeployment): RolloutState | undefined {
  const s = md.status;
  const phase = s?.phase ? STATUS_TO_PHASE[s.phase] : undefined;
  if (!s || !phase || !s.canaryVersionId) return undefined;
  return {
    deployment: md.metadata.name,
    model: md.spec.model,
    ...(s.stableVersionId !== undefined ? { stableVersionId: s.stableVersionId } : {}),
    canaryVersionId: s.canaryVersionId,
    phase,
    stepIndex: s.stepIndex ?? 0,
    canaryWeight: s.canaryWeight ?? 0,
    stepStartedAt: s.stepStartedAt ? Date.parse(s.stepStartedAt) : 0,
    stepStartRequests: s.stepStartRequests ?? 0,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    // History lives in status.history (across rollouts); the machine only appends to it.
    history: [],
  };
}

export function historyEntry(state: RolloutState, event: RolloutEvent): RolloutHistoryEntry {
  return {
    type: event.type,
    at: new Date(event.at).toISOString(),
    canaryWeight: event.canaryWeight,
    ...(state.stableVersionId !== undefined ? { stableVersionId: state.stableVersionId } : {}),
    canaryVersionId: state.canaryVersionId,
    ...(event.reason !== undefined ? { reason: event.reason } : {}),
  };
}

/** Rollout fields of the status for `state`, with `events` appended to the bounded history. */
export function statusFromState(previous: ModelDeploymentStatus | undefined, state: RolloutState, events: RolloutEvent[]): ModelDeploymentStatus {
  const appended = [...(previous?.history ?? []), ...events.map((e) => historyEntry(state, e))];
  const dropped = Math.max(0, appended.length - HISTORY_LIMIT);
  return {
    ...previous,
    phase: PHASE_TO_STATUS[state.phase],
    stableVersionId: state.stableVersionId,
    canaryVersionId: state.canaryVersionId,
    canaryWeight: state.canaryWeight,
    stepIndex: state.stepIndex,
    stepStartedAt: new Date(state.stepStartedAt).toISOString(),
    stepStartRequests: state.stepStartRequests,
    reason: state.reason,
    history: appended.slice(dropped),
    publishedEvents: Math.max(0, (previous?.publishedEvents ?? 0) - dropped),
  };
}
