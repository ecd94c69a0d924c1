/**
 * TrainingJob → TrainingRun spec, and TrainingRun status → what the launch listener hears
 * (pure). The operator turns the TrainingRun into a GPU Job; the trainer pod reads the job
 * verbatim from `spec.trainingJob` and resumes from the checkpoint volume on every retry.
 */
import type { TrainingRun, TrainingRunSpec, TrainingRunStatus } from '@crucible/crds';
import type { JobCheckpoint, JobExit, JobProgress, TrainingJob } from '../launcher';

export const RUN_ID_LABEL = 'crucible.dev/run-id';

export interface TrainingRunTemplate {
  /** nvidia.com/gpu per pod. */
  gpus?: number;
  image?: string;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  nodeSelector?: Record<string, string>;
  checkpointClaim?: string;
  dataClaim?: string;
}

/** `<dataDir>/datasets/<name>/<n>/…` → `<name>@<n>`; any other path is its own id. */
export function datasetIdOf(manifestPath: string): string {
  const m = /datasets\/([^/]+)\/(\d+)\//.exec(manifestPath);
  return m ? `${m[1]}@${m[2]}` : manifestPath;
}

/** A DNS-1123 name for the run's TrainingRun. */
export function trainingRunNameOf(runId: string): string {
  const clean = runId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
  return `train-${clean || 'run'}`;
}

export function trainingRunSpecOf(job: TrainingJob, t: TrainingRunTemplate): TrainingRunSpec {
  return {
    runId: job.runId,
    dataset: { id: datasetIdOf(job.manifestPath), manifestPath: job.manifestPath },
    model: { config: job.config as unknown as Record<string, unknown> },
    hyperParameters: {
      ...(job.hyper.maxSteps !== undefined ? { steps: job.hyper.maxSteps } : {}),
      ...(job.hyper.batchSize !== undefined ? { batchSize: job.hyper.batchSize } : {}),
      ...(job.hyper.seqLen !== undefined ? { sequenceLength: job.hyper.seqLen } : {}),
      ...(job.hyper.seed !== undefined ? { seed: job.hyper.seed } : {}),
    },
    ...(job.lora ? { method: 'lora' as const } : job.promptTokens ? { method: 'prompt-tuning' as const } : {}),
    trainingJob: { ...job } as unknown as Record<string, unknown>,
    resources: { gpus: t.gpus ?? 1 },
    ...(t.image ? { image: t.image } : {}),
    ...(t.nodeSelector ? { nodeSelector: t.nodeSelector } : {}),
    ...(t.checkpointClaim || t.dataClaim
      ? {
          volumes: {
            ...(t.dataClaim ? { data: { claimName: t.dataClaim } } : {}),
            ...(t.checkpointClaim ? { checkpoints: { claimName: t.checkpointClaim } } : {}),
          },
        }
      : {}),
    ...(t.backoffLimit !== undefined ? { backoffLimit: t.backoffLimit } : {}),
    ...(t.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: t.activeDeadlineSeconds } : {}),
    ...(t.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: t.ttlSecondsAfterFinished } : {}),
  };
}

/** What changed between two observations of the status, for the listener (in order). */
export type StatusSignal =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'checkpoint'; checkpoint: JobCheckpoint }
  | { kind: 'exit'; exit: JobExit; final?: JobCheckpoint & { loss: number } };

export function signalsBetween(before: TrainingRunStatus | undefined, after: TrainingRunStatus | undefined): StatusSignal[] {
  const out: StatusSignal[] = [];
  const p = after?.progress;
  if (p && p.step > (before?.progress?.step ?? -1)) {
    // The status carries step and loss only; per-step rates arrive on training.progressed from the pod.
    out.push({ kind: 'progress', progress: { step: p.step, maxSteps: p.totalSteps, loss: p.loss ?? Number.NaN, lr: 0, gradNorm: 0, tokensPerSec: 0, mfu: 0 } });
  }
  const c = after?.lastCheckpoint;
  const phase = after?.phase;
  if (c && c.step > (before?.lastCheckpoint?.step ?? -1) && phase !== 'Succeeded') {
    out.push({ kind: 'checkpoint', checkpoint: { step: c.step, path: c.path, sha256: c.sha256 ?? '' } });
  }
  if (phase === 'Succeeded') {
    out.push(
      c
        ? { kind: 'exit', exit: { outcome: 'finished' }, final: { step: c.step, path: c.path, sha256: c.sha256 ?? '', loss: p?.loss ?? Number.NaN } }
        : { kind: 'exit', exit: { outcome: 'failed', reason: 'the TrainingRun succeeded but reported no final checkpoint', retriable: false } },
    );
  } else if (phase === 'Failed') {
    // The Job already retried its pods (backoffLimit) from the last checkpoint: another attempt would repeat that.
    out.push({ kind: 'exit', exit: { outcome: 'failed', reason: after?.message ?? 'the TrainingRun failed', retriable: false } });
  } else if (phase === 'Cancelled') {
    out.push({ kind: 'exit', exit: { outcome: 'cancelled' } });
  }
  return out;
}

export const isActive = (run: TrainingRun | undefined) => !!run && run.status?.phase !== 'Succeeded' && run.status?.phase !== 'Failed' && run.status?.phase !== 'Cancelled';
