/**
 * TrainingRun → the batch/v1 Job that trains it (pure). One pod at a time; a failed pod is
 * retried by the Job (backoffLimit) and every pod resumes from the checkpoint directory on the
 * shared volume (CRUCIBLE_RESUME_FROM: the trainer restores `latest` there when it exists),
 * so retry n+1 starts where retry n last checkpointed. Pods evicted or preempted
 * (DisruptionTarget) do not count against backoffLimit; exit code 3 (a deterministic failure:
 * bad config, divergence) fails the Job at once instead of retrying.
 *
 * Volumes and paths follow volume-layout.ts (checkpoints at /checkpoints, reported as the
 * services see them). Environment, in increasing precedence: the bus settings and the run's
 * variables, the chart's defaults (`env` / `envFrom` / `mounts`: SASL credentials, registry DSN,
 * Kafka CA — by reference), then the TrainingRun's own. The pod has the chart's restricted
 * security context and an emptyDir /tmp (kube/pod-template.ts).
 */
import type * as k8s from '@kubernetes/client-node';
import { API_VERSION, type TrainingRun } from '@crucible/crds';
import { MANAGED_BY, RUN_ID_LABEL, TRAINING_RUN_LABEL, dnsName, labelValue } from './labels';
import { containerSecurityContext, fileMounts, overlayEnv, podEnvProblems, podSecurityContext, tmpMount, tmpVolume, toEnvFrom, toEnvVar } from '../kube/pod-template';
import type { TrainingPodDefaults } from './training-pod-defaults';
import { type RunVolumeLayout, runVolumeLayout, toPod } from './volume-layout';

export const TRAINER_CONTAINER = 'trainer';
export const DETERMINISTIC_FAILURE_EXIT_CODE = 3;
export const DEFAULT_BACKOFF_LIMIT = 3;
export { CHECKPOINT_MOUNT, DATA_MOUNT } from './volume-layout';
const GPU_RESOURCE = 'nvidia.com/gpu';

export interface TrainingJobContext {
  defaults: TrainingPodDefaults;
  /** Bus settings passed to the trainer (KAFKA_BROKERS, CRUCIBLE_BUS, …). */
  busEnv: Record<string, string>;
}

export const runIdOf = (run: TrainingRun): string => run.spec.runId ?? run.metadata.name;
export const jobNameOf = (run: TrainingRun): string => dnsName(run.metadata.name, 'train');

export function trainingLabels(run: TrainingRun): Record<string, string> {
  return { ...MANAGED_BY, [TRAINING_RUN_LABEL]: labelValue(run.metadata.name), [RUN_ID_LABEL]: labelValue(runIdOf(run)) };
}

export function ownerReference(obj: { apiVersion?: string; kind: string; metadata: { name: string; uid?: string } }): k8s.V1OwnerReference {
  return {
    apiVersion: obj.apiVersion ?? API_VERSION,
    kind: obj.kind,
    name: obj.metadata.name,
    uid: obj.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function tolerationsFor(run: TrainingRun, defaults: TrainingPodDefaults, gpus: number): k8s.V1Toleration[] {
  const tolerations = (run.spec.tolerations ?? defaults.tolerations ?? []) as k8s.V1Toleration[];
  // A GPU pod that cannot tolerate the usual GPU taint never schedules; add it unless present.
  const hasGpuToleration = tolerations.some((t) => t.key === GPU_RESOURCE || (t.operator === 'Exists' && !t.key));
  return gpus > 0 && !hasGpuToleration ? [...tolerations, { key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }] : tolerations;
}

function resourcesFor(run: TrainingRun, defaults: TrainingPodDefaults, gpus: number): k8s.V1ResourceRequirements {
  const requests: Record<string, string> = { ...(defaults.resources?.requests ?? {}) };
  const limits: Record<string, string> = { ...(defaults.resources?.limits ?? {}) };
  const r = run.spec.resources;
  if (r?.cpu) requests.cpu = r.cpu;
  if (r?.memory) {
    requests.memory = r.memory;
    limits.memory = r.memory;
  }
  if (gpus > 0) limits[GPU_RESOURCE] = String(gpus);
  else delete limits[GPU_RESOURCE];
  return { ...(Object.keys(requests).length ? { requests } : {}), ...(Object.keys(limits).length ? { limits } : {}) };
}

function trainerEnv(run: TrainingRun, ctx: TrainingJobContext, layout: RunVolumeLayout): k8s.V1EnvVar[] {
  const { spec } = run;
  const { checkpointDir } = layout;
  const manifestPath = toPod(spec.dataset.manifestPath, layout.data);
  const baseModelDir = spec.trainingJob?.baseModelDir;
  // The training service's own job, when it made the run (launchers/kubernetes), its paths moved to the pod's mounts; else one from the spec.
  const job = spec.trainingJob
    ? {
        ...spec.trainingJob,
        runId: runIdOf(run),
        manifestPath,
        ...(typeof baseModelDir === 'string' ? { baseModelDir: toPod(baseModelDir, layout.data) } : {}),
        checkpointDir,
        resumeFrom: checkpointDir,
      }
    : {
        runId: runIdOf(run),
        dataset: { ...spec.dataset, manifestPath },
        tokenizer: spec.tokenizer?.path ? { ...spec.tokenizer, path: toPod(spec.tokenizer.path, layout.data) } : spec.tokenizer,
        model: spec.model,
        hyperParameters: spec.hyperParameters ?? {},
        method: spec.method ?? 'full',
        baseModelVersionId: spec.baseModelVersionId,
      };
  const env: Record<string, string> = {
    ...ctx.busEnv,
    CRUCIBLE_RUN_ID: runIdOf(run),
    CRUCIBLE_TRAINING_RUN: run.metadata.name,
    CRUCIBLE_TRAINING_JOB: JSON.stringify(job),
    CRUCIBLE_DATASET_MANIFEST: manifestPath,
    CRUCIBLE_CHECKPOINT_DIR: checkpointDir,
    // Every attempt resumes from the newest checkpoint in the shared directory, if any.
    CRUCIBLE_RESUME_FROM: checkpointDir,
    CRUCIBLE_RESUME: 'latest',
    ...(layout.sharedCheckpointDir ? { CRUCIBLE_CHECKPOINT_SHARED_DIR: layout.sharedCheckpointDir } : {}),
    ...(layout.dataDir ? { CRUCIBLE_DATA_DIR: layout.dataDir } : {}),
  };
  const base: k8s.V1EnvVar[] = [
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
  ];
  return overlayEnv(overlayEnv(base, (ctx.defaults.env ?? []).map(toEnvVar)), (spec.env ?? []).map(toEnvVar));
}

export function buildTrainingJob(run: TrainingRun, ctx: TrainingJobContext): k8s.V1Job {
  const { spec } = run;
  const { defaults } = ctx;
  const gpus = spec.resources?.gpus ?? defaults.gpus ?? 0;
  const labels = trainingLabels(run);
  const image = spec.image ?? defaults.image;
  if (!image) throw new Error('no trainer image: set spec.image or the operator default (OPERATOR_TRAINER_IMAGE)');

  const problems = podEnvProblems({ env: [...(defaults.env ?? []), ...(spec.env ?? [])], envFrom: [...(defaults.envFrom ?? []), ...(spec.envFrom ?? [])], mounts: [...(defaults.mounts ?? []), ...(spec.mounts ?? [])] });
  if (problems.length) throw new Error(problems.join('; '));
  const layout = runVolumeLayout(run, runIdOf(run), defaults);
  const files = fileMounts([...(defaults.mounts ?? []), ...(spec.mounts ?? [])]);
  const volumes = [tmpVolume(), ...layout.volumes, ...files.volumes];
  const mounts = [tmpMount(), ...layout.mounts, ...files.volumeMounts];
  const envFrom = [...(defaults.envFrom ?? []), ...(spec.envFrom ?? [])].map(toEnvFrom);

  const pullSecrets = (defaults.imagePullSecrets ?? []).map((s) => (typeof s === 'string' ? { name: s } : s));
  const nodeSelector = spec.nodeSelector ?? defaults.nodeSelector;
  const serviceAccountName = spec.serviceAccountName ?? defaults.serviceAccountName;

  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobNameOf(run), namespace: run.metadata.namespace, labels, ownerReferences: [ownerReference({ ...run, apiVersion: API_VERSION })] },
    spec: {
      backoffLimit: spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
      ...(spec.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: spec.activeDeadlineSeconds } : {}),
      ...(spec.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished } : {}),
      suspend: spec.suspend ?? false,
      completions: 1,
      parallelism: 1,
      // A replacement pod starts only once the failed one is gone: two trainers never share a checkpoint dir.
      podReplacementPolicy: 'Failed',
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: TRAINER_CONTAINER, operator: 'In', values: [DETERMINISTIC_FAILURE_EXIT_CODE] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      template: {
        // The full run name (labels are capped at 63 characters) so pod events map back to the run.
        metadata: { labels, annotations: { [TRAINING_RUN_LABEL]: run.metadata.name } },
        spec: {
          restartPolicy: 'Never',
          securityContext: podSecurityContext(defaults.securityContext),
          // Trainers report through the bus; they never call the Kubernetes API.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          ...(nodeSelector && Object.keys(nodeSelector).length ? { nodeSelector } : {}),
          tolerations: tolerationsFor(run, defaults, gpus),
          ...(serviceAccountName ? { serviceAccountName } : {}),
          ...(defaults.priorityClassName ? { priorityClassName: defaults.priorityClassName } : {}),
          ...(pullSecrets.length ? { imagePullSecrets: pullSecrets } : {}),
          volumes,
          containers: [
            {
              name: TRAINER_CONTAINER,
              image,
              ...(defaults.imagePullPolicy ? { imagePullPolicy: defaults.imagePullPolicy } : {}),
              ...(spec.command ? { command: spec.command } : {}),
              ...(spec.args ? { args: spec.args } : {}),
              ...(envFrom.length ? { envFrom } : {}),
              env: trainerEnv(run, ctx, layout),
              resources: resourcesFor(run, defaults, gpus),
              volumeMounts: mounts,
              securityContext: containerSecurityContext(),
              terminationMessagePolicy: 'FallbackToLogsOnError',
            },
          ],
        },
      },
    },
  };
}
