import { describe, expect, it } from 'vitest';
import { loadTrainingServiceConfig, settingsOverrides } from './config';
import { parseTrainingSettings } from './training.config';

describe('training service config', () => {
  it('merges TRAINING_* over the file settings, field by field', () => {
    const config = loadTrainingServiceConfig({
      TRAINING_THREADS: '3',
      TRAINING_EXECUTION_PROVIDER: 'cpu',
      TRAINING_MAX_ATTEMPTS: '5',
      TRAINING_PROGRESS_EVERY_STEPS: '25',
      TRAINING_RETRAIN_ON_SEAL: 'false',
      TRAINING_RETRAIN_MIN_NEW_TOKENS: '10000',
      TRAINING_RETRAIN_HYPER_PARAMETERS: '{"steps":200,"batchSize":4}',
    });
    const fromFile = { launcher: 'local', checkpointEvery: 20, progress: { intervalMs: 1000 }, retrain: { preset: 'tiny', intervalMinutes: 30 } };
    const settings = parseTrainingSettings(settingsOverrides(config, fromFile));
    expect(settings).toMatchObject({ threads: 3, executionProvider: 'cpu', maxAttempts: 5, checkpointEvery: 20, progress: { everySteps: 25, intervalMs: 1000 } });
    expect(settings.retrain).toMatchObject({ onSeal: false, minNewTokens: 10000, intervalMinutes: 30, preset: 'tiny', hyperParameters: { steps: 200, batchSize: 4 } });
    expect(settings.retrain.model).toBeUndefined();
    expect(config.HTTP_PORT).toBe(8084);
  });

  it('lists every problem at once', () => {
    expect(() => loadTrainingServiceConfig({ TRAINING_LAUNCHER: 'slurm', TRAINING_THREADS: '0', TRAINING_RETRAIN_HYPER_PARAMETERS: '{steps' })).toThrow(
      /TRAINING_LAUNCHER[\s\S]*TRAINING_THREADS[\s\S]*TRAINING_RETRAIN_HYPER_PARAMETERS: expected JSON/,
    );
    expect(() => loadTrainingServiceConfig({ CRUCIBLE_BUS: 'kafka' })).toThrow(/KAFKA_BROKERS: required when CRUCIBLE_BUS=kafka/);
  });

  it('rejects unknown hyper-parameters in the retrain policy', () => {
    expect(() => parseTrainingSettings({ retrain: { hyperParameters: { stepz: 3 } } })).toThrow(/stepz/);
  });
});
