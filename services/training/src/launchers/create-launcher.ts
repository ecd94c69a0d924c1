/**
 * The launcher named by the settings. `kubernetes` is provided by launchers/kubernetes/ (the
 * operator's TrainingRun); until that exists, asking for it fails at start with a clear reason.
 */
import { TrainingError } from '../training.errors';
import type { Launcher } from './launcher';
import { KubernetesLauncher } from './kubernetes/kubernetes.launcher';
import { LocalLauncher } from './local/local.launcher';

export function createLauncher(kind: 'local' | 'kubernetes'): Launcher {
  if (kind === 'local') return new LocalLauncher();
  return new KubernetesLauncher();
}
