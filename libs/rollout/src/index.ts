/** @crucible/rollout — canary rollout as a pure state machine (see README.md). */
export type {
  Observation,
  Route,
  RolloutAnalysis,
  RolloutEvent,
  RolloutEventType,
  RolloutPhase,
  RolloutSpec,
  RolloutState,
  Transition,
  VersionMetrics,
} from './types';
export { DEFAULT_ROLLOUT_SPEC, RolloutSpecError, assertValidSpec, validateSpec } from './spec';
export type { RolloutSpecIssue, RolloutSpecIssueCode } from './spec';
export { analyze, formatPercent } from './analysis';
export type { AnalysisResult } from './analysis';
export { advance, routes, settledVersion, startRollout, stepRequests, trafficSplit } from './rollout';
export type { StartRolloutInput } from './rollout';
