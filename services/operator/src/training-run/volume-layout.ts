/**
 * The one volume layout of trainer pods, and how paths cross between the pod and the services
 * (pure). In the pod:
 *   - the run's checkpoint root is mounted at `/checkpoints` (fixed): the checkpoint claim at
 *     sub-path `runs/<runId>` (or the TrainingRun's `volumes.checkpoints.subPath`); an emptyDir
 *     without a claim;
 *   - the data claim (datasets, tokenizers, base models) at `/data` (or `volumes.data.mountPath`).
 * The services of the release (training, evaluation — helm/crucible) mount the same claims
 * elsewhere: the chart tells the operator where (`sharedMounts` in training-pod-defaults.json;
 * a TrainingRun may name its own with `volumes.<name>.sharedMountPath`). From that:
 *   - paths the training service wrote into the job (manifest, base model) are rewritten from
 *     its view of the data claim to the pod's mount (`toPod`);
 *   - the pod is told the run's checkpoint root as the services see it
 *     (`CRUCIBLE_CHECKPOINT_SHARED_DIR`) and reports every checkpoint path under that root
 *     (services/training/src/pod/checkpoint-paths.ts), so the training service's completion
 *     reads the final checkpoint, and the TrainingRun's `status.lastCheckpoint`, from a path
 *     that exists on its side. Resuming stays inside the pod: every attempt restores the newest
 *     checkpoint under `/checkpoints`, the same directory on the claim.
 * Without a known shared mount the paths stay the pod's (a hand-made run's files are then only
 * meaningful inside its pods).
 */
import { posix } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import type { TrainingRun } from '@crucible/crds';
import type { TrainingPodDefaults } from './training-pod-defaults';

export const DATA_MOUNT = '/data';
export const CHECKPOINT_MOUNT = '/checkpoints';

export interface PathMapping {
  /** A directory as the services see it. */
  readonly shared: string;
  /** The same directory inside the trainer pod. */
  readonly pod: string;
}

export interface RunVolumeLayout {
  readonly volumes: k8s.V1Volume[];
  readonly mounts: k8s.V1VolumeMount[];
  /** The data claim's mount in the pod (CRUCIBLE_DATA_DIR), when a data claim is mounted. */
  readonly dataDir?: string;
  /** The run's checkpoint root in the pod (CRUCIBLE_CHECKPOINT_DIR, CRUCIBLE_RESUME_FROM). */
  readonly checkpointDir: string;
  /** The run's checkpoint root as the services see it (CRUCIBLE_CHECKPOINT_SHARED_DIR). */
  readonly sharedCheckpointDir?: string;
  /** The data claim: services' view → pod's view. */
  readonly data?: PathMapping;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** `path` under `from.shared` → the same file under `from.pod` (and back with the roles swapped); other paths unchanged. */
export function mapPath(path: string, from: string, to: string): string {
  const a = posix.normalize(path);
  const root = posix.normalize(from).replace(/(.)\/+$/, '$1');
  if (!inside(a, root)) return path;
  return posix.join(to, posix.relative(root, a));
}

export const toPod = (path: string, m: PathMapping | undefined): string => (m ? mapPath(path, m.shared, m.pod) : path);

export function runVolumeLayout(run: TrainingRun, runId: string, defaults: TrainingPodDefaults): RunVolumeLayout {
  const { spec } = run;
  const volumes: k8s.V1Volume[] = [];
  const mounts: k8s.V1VolumeMount[] = [];

  const dataClaim = spec.volumes?.data?.claimName ?? defaults.dataClaimName;
  const dataMount = spec.volumes?.data?.mountPath ?? DATA_MOUNT;
  let data: PathMapping | undefined;
  if (dataClaim) {
    const subPath = spec.volumes?.data?.subPath;
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: dataClaim } });
    mounts.push({ name: 'data', mountPath: dataMount, ...(subPath ? { subPath } : {}) });
    const sharedRoot = spec.volumes?.data?.sharedMountPath ?? (dataClaim === defaults.dataClaimName ? defaults.sharedMounts?.data : undefined);
    if (sharedRoot) data = { shared: subPath ? posix.join(sharedRoot, subPath) : sharedRoot, pod: dataMount };
  }

  const checkpointClaim = spec.volumes?.checkpoints?.claimName ?? defaults.checkpointClaimName;
  const checkpointDir = spec.volumes?.checkpoints?.mountPath ?? CHECKPOINT_MOUNT;
  const checkpointSubPath = spec.volumes?.checkpoints?.subPath ?? `runs/${runId}`;
  // Without a claim the checkpoints live in an emptyDir: a retry on the same pod spec starts over.
  volumes.push(checkpointClaim ? { name: 'checkpoints', persistentVolumeClaim: { claimName: checkpointClaim } } : { name: 'checkpoints', emptyDir: {} });
  mounts.push({ name: 'checkpoints', mountPath: checkpointDir, subPath: checkpointSubPath });
  const sharedCheckpointRoot = checkpointClaim
    ? (spec.volumes?.checkpoints?.sharedMountPath ?? (checkpointClaim === defaults.checkpointClaimName ? defaults.sharedMounts?.checkpoints : undefined))
    : undefined;

  return {
    volumes,
    mounts,
    ...(dataClaim ? { dataDir: dataMount } : {}),
    checkpointDir,
    ...(sharedCheckpointRoot ? { sharedCheckpointDir: posix.join(sharedCheckpointRoot, checkpointSubPath) } : {}),
    ...(data ? { data } : {}),
  };
}
