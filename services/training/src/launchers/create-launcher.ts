/**
 * The launcher named by the settings. `kubernetes` is provided by launchers/kubernetes/ (the
 * operator's TrainingRun); until that exists, asking for it fails at start with a clear reason.
 */
import { TrainingError } from '../training.errors';
import type { Launcher } from './launcher';
import { LocalLauncher } from './local/local.launcher';

export function createLauncher(kind: 'local' | 'kubernetes'): Launcher {
  if (kind === 'local') return new LocalLauncher();
  throw new TrainingError('launcher_unavailable', "TRAINING_LAUNCHER=kubernetes needs the Kubernetes launcher (services/training/src/launchers/kubernetes/), which is not built yet; use 'local' or pass a launcher to openTraining");
}
