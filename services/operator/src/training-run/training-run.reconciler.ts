/**
 * Reconciles one TrainingRun, as a list of named idempotent steps:
 *   1. read the run (gone → nothing to do: owned objects are garbage-collected)
 *   2. being deleted → delete the Job and its pods, then drop the finalizer
 *   3. ensure the finalizer
 *   4. ensure the Job (created once: its pod template is immutable), mirror spec.suspend
 *   5. derive status from the Job and its pods; write it only when it changed
 *   6. record Events for what changed (Job created, pod failed and retried, finished)
 */
import type * as k8s from '@kubernetes/client-node';
import { TRAINING_RUN, TrainingRunSpecSchema, type TrainingRun, type TrainingRunStatus } from '@crucible/crds';
import type { Logger } from '@crucible/service-kit';
import type { ReconcileResult, Reconciler } from '../kube/controller';
import type { EventRecorder } from '../kube/event-recorder';
import { type KubeApi, statusOf } from '../kube/kube-api';
import type { ObjectKey } from '../kube/object-key';
import { statusPatch } from '../kube/status-patch';
import { FINALIZER, RUN_ID_LABEL, TRAINING_RUN_LABEL, labelValue } from './labels';
import { type TrainingJobContext, buildTrainingJob, jobNameOf, runIdOf } from './training-job.builder';
import { deriveTrainingRunStatus, podFailureMessage } from './training-run.status';

export interface TrainingRunReconcilerOptions {
  api: KubeApi;
  events: EventRecorder;
  jobContext: TrainingJobContext;
  logger: Logger;
  /** Requeue period while a run is active (watch events also trigger). */
  resyncMs: number;
  now?: () => Date;
}

export class TrainingRunReconciler implements Reconciler {
  readonly name = 'trainingrun';
  private readonly now: () => Date;

  constructor(private readonly o: TrainingRunReconcilerOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async reconcile({ namespace, name }: ObjectKey): Promise<ReconcileResult> {
    const run = await this.o.api.getCustom<TrainingRun>(TRAINING_RUN.plural, namespace, name);
    if (!run) return {};
    if (run.metadata.deletionTimestamp) return this.finalize(run);
    if (!run.metadata.finalizers?.includes(FINALIZER) || run.metadata.labels?.[RUN_ID_LABEL] !== labelValue(runIdOf(run))) await this.adopt(run);

    const parsed = TrainingRunSpecSchema.safeParse(run.spec);
    let job: k8s.V1Job | undefined;
    let invalidSpec: string | undefined;
    if (!parsed.success) {
      invalidSpec = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    } else {
      try {
        job = await this.ensureJob(run);
      } catch (error) {
        if (!(error instanceof InvalidJobError)) throw error;
        invalidSpec = error.message;
      }
    }
    const pods = job ? await this.podsOf(run) : [];
    const status = deriveTrainingRunStatus({ run, ...(job ? { job } : {}), pods, now: this.now(), ...(invalidSpec ? { invalidSpec } : {}) });
    const patch = statusPatch(run.status, status);
    if (patch) await this.o.api.patchCustomStatus(TRAINING_RUN.plural, namespace, name, patch);
    await this.recordTransitions(run, run.status, status, pods);
    const active = status.phase === 'Pending' || status.phase === 'Running';
    return active ? { requeueAfterMs: this.o.resyncMs } : {};
  }

  /** The finalizer, and the run-id label the training-topic consumer finds the run by. */
  private async adopt(run: TrainingRun): Promise<void> {
    const finalizers = run.metadata.finalizers?.includes(FINALIZER) ? run.metadata.finalizers : [...(run.metadata.finalizers ?? []), FINALIZER];
    await this.o.api.patchCustom(TRAINING_RUN.plural, run.metadata.namespace, run.metadata.name, {
      metadata: { finalizers, labels: { [RUN_ID_LABEL]: labelValue(runIdOf(run)) }, resourceVersion: run.metadata.resourceVersion },
    });
  }

  private async ensureJob(run: TrainingRun): Promise<k8s.V1Job | undefined> {
    const { namespace } = run.metadata;
    const existing = await this.o.api.get<k8s.V1Job>('batch/v1', 'Job', namespace, jobNameOf(run));
    const suspend = run.spec.suspend ?? false;
    if (existing) {
      if ((existing.spec?.suspend ?? false) !== suspend) {
        await this.o.api.objects.patch(
          { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: existing.metadata!.name!, namespace }, spec: { suspend } } as k8s.V1Job,
          undefined, undefined, 'crucible-operator', undefined, 'application/merge-patch+json',
        );
        await this.o.events.record(run, 'Normal', suspend ? 'Suspended' : 'Resumed', `Job ${existing.metadata!.name} ${suspend ? 'suspended' : 'resumed'}`);
        return { ...existing, spec: { ...existing.spec!, suspend } };
      }
      return existing;
    }
    // A finished run whose Job was removed by ttlSecondsAfterFinished is not trained again.
    if (run.status?.phase === 'Succeeded' || run.status?.phase === 'Failed') return undefined;
    let body: k8s.V1Job;
    try {
      body = buildTrainingJob(run, this.o.jobContext);
    } catch (error) {
      throw new InvalidJobError((error as Error).message);
    }
    try {
      const created = await this.o.api.objects.create(body);
      await this.o.events.record(run, 'Normal', 'JobCreated', `created Job ${body.metadata!.name}`);
      return created;
    } catch (error) {
      if (statusOf(error) === 409) return this.o.api.get<k8s.V1Job>('batch/v1', 'Job', namespace, jobNameOf(run));
      if (statusOf(error) === 422) throw new InvalidJobError(`the apiserver rejected the Job: ${(error as { body?: string }).body ?? String(error)}`);
      throw error;
    }
  }

  private podsOf(run: TrainingRun): Promise<k8s.V1Pod[]> {
    return this.o.api.list<k8s.V1Pod>('v1', 'Pod', run.metadata.namespace, `${TRAINING_RUN_LABEL}=${labelValue(run.metadata.name)}`);
  }

  private async recordTransitions(run: TrainingRun, before: TrainingRunStatus | undefined, after: TrainingRunStatus, pods: k8s.V1Pod[]): Promise<void> {
    const r = this.o.events;
    const attemptsBefore = before?.attempts ?? 0;
    const attempts = after.attempts ?? 0;
    if (attempts > attemptsBefore && attempts > 1) {
      const failed = pods.filter((p) => p.status?.phase === 'Failed').at(-1);
      const from = after.lastCheckpoint ? `checkpoint step ${after.lastCheckpoint.step} (${after.lastCheckpoint.path})` : 'the last checkpoint in the checkpoint directory';
      await r.record(run, 'Warning', 'PodFailed', `${failed ? podFailureMessage(failed) : 'a pod failed'}; attempt ${attempts} resumes from ${from}`);
    }
    if (before?.phase === after.phase) return;
    if (after.phase === 'Running') await r.record(run, 'Normal', 'Running', `attempt ${attempts} is running`);
    if (after.phase === 'Succeeded') await r.record(run, 'Normal', 'Succeeded', `training finished after ${attempts} attempt(s)`);
    if (after.phase === 'Failed') await r.record(run, 'Warning', 'Failed', after.message ?? 'training failed');
    if (after.phase === 'Cancelled') await r.record(run, 'Normal', 'Cancelled', 'the run was cancelled (spec.suspend)');
  }

  /** Deletion: remove the Job and every pod of the run, then let the resource go. */
  private async finalize(run: TrainingRun): Promise<ReconcileResult> {
    if (!run.metadata.finalizers?.includes(FINALIZER)) return {};
    const { namespace, name } = run.metadata;
    await this.o.api.delete('batch/v1', 'Job', namespace, jobNameOf(run), 'Background');
    const pods = await this.podsOf(run);
    for (const pod of pods) {
      if (!pod.metadata?.deletionTimestamp) await this.o.api.delete('v1', 'Pod', namespace, pod.metadata!.name!);
    }
    const job = await this.o.api.get<k8s.V1Job>('batch/v1', 'Job', namespace, jobNameOf(run));
    if (job || pods.length > 0) return { requeueAfterMs: 1_000 };
    await this.o.api.patchCustom(TRAINING_RUN.plural, namespace, name, {
      metadata: { finalizers: (run.metadata.finalizers ?? []).filter((f) => f !== FINALIZER), resourceVersion: run.metadata.resourceVersion },
    });
    this.o.logger.info({ run: `${namespace}/${name}` }, 'training run finalized: Job and pods removed');
    return {};
  }
}

class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
}
