/** The launcher named by the settings: a local worker process, or a TrainingRun for the operator (launchers/kubernetes/). */
import type { Launcher } from './launcher';
import { KubernetesLauncher } from './kubernetes/kubernetes.launcher';
import { LocalLauncher } from './local/local.launcher';

export function createLauncher(kind: 'local' | 'kubernetes'): Launcher {
  if (kind === 'local') return new LocalLauncher();
  return new KubernetesLauncher();
}
