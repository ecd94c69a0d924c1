/**
 * Observed state → TrainingRun status (pure). Everything is re-derived from the Job and its
 * pods on every reconcile; only `progress`, `lastCheckpoint` and `modelVersionId` are carried
 * over, because they come from the training topics rather than from Kubernetes.
 */
import type * as k8s from '@kubernetes/client-node';
import type { TrainingRun, TrainingRunPhase, TrainingRunStatus } from '@crucible/crds';
import { setConditions, type ConditionInput } from '../kube/conditions';

export interface TrainingObservation {
  run: TrainingRun;
  job?: k8s.V1Job;
  pods: k8s.V1Pod[];
  now: Date;
  /** Set when the spec could not be turned into a Job. */
  invalidSpec?: string;
}

const jobCondition = (job: k8s.V1Job | undefined, type: string) =>
  job?.status?.conditions?.find((c) => c.type === type && c.status === 'True');

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Why the newest failed pod failed, as a kubelet would say it. */
export function podFailureMessage(pod: k8s.V1Pod): string {
  const terminated = pod.status?.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated;
  const why = terminated ? `exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}` : (pod.status?.reason ?? 'failed');
  return `pod ${pod.metadata?.name} ${why}${pod.status?.message ? `: ${pod.status.message}` : ''}`;
}

function phaseOf(o: TrainingObservation): { phase: TrainingRunPhase; reason: string; message: string } {
  const { run, job, pods } = o;
  if (o.invalidSpec) return { phase: 'Failed', reason: 'InvalidSpec', message: o.invalidSpec };
  const complete = jobCondition(job, 'Complete');
  if (complete) return { phase: 'Succeeded', reason: 'JobComplete', message: 'training finished' };
  const failed = jobCondition(job, 'Failed');
  if (failed) return { phase: 'Failed', reason: failed.reason ?? 'JobFailed', message: failed.message ?? 'the training Job failed' };
  // A run that already ended stays ended when its Job is garbage-collected (ttlSecondsAfterFinished).
  const previous = run.status?.phase;
  if (!job && (previous === 'Succeeded' || previous === 'Failed')) {
    return { phase: previous, reason: previous === 'Succeeded' ? 'JobComplete' : 'JobFailed', message: run.status?.message ?? '' };
  }
  const active = pods.filter((p) => p.status?.phase === 'Running' || p.status?.phase === 'Pending');
  if (run.spec.suspend) {
    return active.length === 0
      ? { phase: 'Cancelled', reason: 'Cancelled', message: 'spec.suspend is true: the Job is suspended' }
      : { phase: 'Running', reason: 'Cancelling', message: `waiting for ${active.length} pod(s) to stop` };
  }
  if (pods.some((p) => p.status?.phase === 'Running')) return { phase: 'Running', reason: 'PodRunning', message: 'training' };
  return { phase: 'Pending', reason: job ? 'PodPending' : 'JobPending', message: job ? 'waiting for the trainer pod' : 'creating the Job' };
}

function conditionsFor(phase: TrainingRunPhase, reason: string, message: string): ConditionInput[] {
  const done = phase === 'Succeeded' || phase === 'Failed' || phase === 'Cancelled';
  return [
    { type: 'Ready', status: phase === 'Succeeded' ? 'True' : 'False', reason, message },
    { type: 'Progressing', status: done ? 'False' : 'True', reason, message },
    { type: 'Failed', status: phase === 'Failed' ? 'True' : 'False', reason, message },
  ];
}

export function deriveTrainingRunStatus(o: TrainingObservation): TrainingRunStatus {
  const { run, job, pods, now } = o;
  const previous = run.status ?? {};
  const { phase, reason, message: phaseMessage } = phaseOf(o);
  const fromJob = (job?.status?.active ?? 0) + (job?.status?.failed ?? 0) + (job?.status?.succeeded ?? 0);
  const attempts = Math.max(previous.attempts ?? 0, fromJob, pods.length);
  const lastFailedPod = pods
    .filter((p) => p.status?.phase === 'Failed')
    .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)))
    .at(-1);
  const message = phase === 'Running' && lastFailedPod ? `attempt ${attempts}; previous ${podFailureMessage(lastFailedPod)}` : phaseMessage;

  const status: TrainingRunStatus = {
    phase,
    observedGeneration: run.metadata.generation,
    conditions: setConditions(previous.conditions, conditionsFor(phase, reason, message), run.metadata.generation, now),
    attempts,
    message,
  };
  if (job?.metadata?.name) status.jobName = job.metadata.name;
  else if (previous.jobName) status.jobName = previous.jobName;
  const start = iso(job?.status?.startTime) ?? previous.startTime;
  if (start) status.startTime = start;
  const completion = iso(job?.status?.completionTime) ?? (phase === 'Failed' || phase === 'Cancelled' ? (previous.completionTime ?? iso(now)) : previous.completionTime);
  if (completion && phase !== 'Running' && phase !== 'Pending') status.completionTime = completion;
  if (previous.progress) status.progress = previous.progress;
  if (previous.lastCheckpoint) status.lastCheckpoint = previous.lastCheckpoint;
  if (previous.modelVersionId) status.modelVersionId = previous.modelVersionId;
  return status;
}
