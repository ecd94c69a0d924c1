/**
 * The pod's ONNX Runtime providers. A job from the service says what its request asked for
 * (runs/job-spec.ts); a job that does not say runs on CUDA when the container sees a GPU — the
 * NVIDIA runtime adds `/dev/nvidia<N>` only for the GPUs the pod was given. The pod's own
 * TRAINING_EXECUTION_PROVIDER overrides both.
 */
import { readdirSync } from 'node:fs';
import type { TrainingJob } from '../launchers/launcher';

type Providers = TrainingJob['executionProviders'];

export function podExecutionProviders(setting: 'auto' | 'cpu' | 'cuda', fromJob: Providers, gpuVisible: boolean): Providers {
  if (setting !== 'auto') return [setting];
  return fromJob ?? (gpuVisible ? ['cuda'] : undefined);
}

export function gpuVisible(devDir = '/dev'): boolean {
  try {
    return readdirSync(devDir).some((name) => /^nvidia\d+$/.test(name));
  } catch {
    return false;
  }
}
