/** Merges SAFETY_* variables over a file's `safety` settings (variables win). */
import type { SafetyServiceConfig } from './config';
import type { SafetyConfigInput } from './safety.config';

export function safetyConfigFromEnv(fromFile: SafetyConfigInput, env: SafetyServiceConfig): SafetyConfigInput {
  const gate = fromFile.gate ?? {};
  const kinds = {
    ...gate.defaultMaxFailureRate,
    ...(env.SAFETY_MAX_ADVERSARIAL_FAILURE_RATE !== undefined && { adversarial: env.SAFETY_MAX_ADVERSARIAL_FAILURE_RATE }),
    ...(env.SAFETY_MAX_BIAS_FAILURE_RATE !== undefined && { bias: env.SAFETY_MAX_BIAS_FAILURE_RATE }),
    ...(env.SAFETY_MAX_LONG_CONTEXT_FAILURE_RATE !== undefined && { conversation: env.SAFETY_MAX_LONG_CONTEXT_FAILURE_RATE }),
  };
  return {
    ...fromFile,
    gate: { ...gate, defaultMaxFailureRate: kinds },
    ...(env.SAFETY_PROBES_DIR && { probesDir: env.SAFETY_PROBES_DIR }),
    ...(env.SAFETY_BATCH_SIZE !== undefined && { batchSize: env.SAFETY_BATCH_SIZE }),
    ...(env.SAFETY_MAX_TOKENS !== undefined && { maxTokens: env.SAFETY_MAX_TOKENS }),
    ...(env.SAFETY_SEED !== undefined && { seed: env.SAFETY_SEED }),
    ...(env.SAFETY_TRAINING_DATA_SAMPLES !== undefined && { trainingData: { ...fromFile.trainingData, samples: env.SAFETY_TRAINING_DATA_SAMPLES } }),
  };
}
