/**
 * The paths a trainer pod reports (pure). The pod writes checkpoints under its mount of the
 * run's checkpoint root (CRUCIBLE_CHECKPOINT_DIR, `/checkpoints` in the operator's Job); the
 * training service, evaluation and the TrainingRun status need them as *they* see that volume.
 * The operator tells the pod the root on their side (CRUCIBLE_CHECKPOINT_SHARED_DIR,
 * services/operator volume-layout.ts), and every path under the pod's root is reported under
 * that one instead: `/checkpoints/step-00000024` → `/var/lib/crucible/checkpoints/runs/<runId>/step-00000024`.
 * Resuming reads the pod's own paths; only what leaves the pod is mapped.
 */
import { posix } from 'node:path';
import type { FromWorker } from '../launchers/local/worker-protocol';

export interface CheckpointRoots {
  /** The run's checkpoint root in the pod. */
  readonly pod: string;
  /** The same directory as the services see it; absent = report the pod's paths. */
  readonly shared?: string;
}

/** `path` as the services see it: under `roots.shared` when it lies under `roots.pod`, else unchanged. */
export function sharedPathOf(path: string, roots: CheckpointRoots): string {
  if (!roots.shared) return path;
  const p = posix.normalize(path);
  const root = posix.normalize(roots.pod).replace(/\/+$/, '') || '/';
  if (p !== root && !p.startsWith(root === '/' ? '/' : `${root}/`)) return path;
  return posix.join(roots.shared, posix.relative(root, p));
}

/** A worker report with its checkpoint path (if any) mapped for the bus. */
export function reportedAs(message: FromWorker, roots: CheckpointRoots): FromWorker {
  if (message.type === 'checkpoint' || message.type === 'finished') return { ...message, path: sharedPathOf(message.path, roots) };
  return message;
}
