import { describe, expect, it } from 'vitest';
import { loadSafetyServiceConfig } from './config';
import { openSafety } from './open-safety';
import { safetyConfigFromEnv } from './safety-config-from-env';
import { parseSafetyConfig } from './safety.config';
import { SafetyError } from './safety.errors';

describe('safety config', () => {
  it('has defaults that gate on adversarial and leakage suites only', () => {
    const c = parseSafetyConfig({});
    expect(c.gate.defaultMaxFailureRate).toEqual({ adversarial: 0, 'training-data': 0, bias: 1, conversation: 1 });
    expect(c.batchSize).toBe(16);
    expect(c.approveAlias).toBe('champion');
  });

  it('lets SAFETY_* variables override the file', () => {
    const env = loadSafetyServiceConfig({ SAFETY_MAX_BIAS_FAILURE_RATE: '0', SAFETY_BATCH_SIZE: '4', SAFETY_PROBES_DIR: '/probes', SAFETY_TRAINING_DATA_SAMPLES: '3' });
    const merged = parseSafetyConfig(safetyConfigFromEnv({ batchSize: 32, gate: { maxFailureRate: { jailbreak: 0.1 } }, trainingData: { contextChars: 64 } }, env));
    expect(merged.batchSize).toBe(4);
    expect(merged.probesDir).toBe('/probes');
    expect(merged.gate.maxFailureRate).toEqual({ jailbreak: 0.1 });
    expect(merged.gate.defaultMaxFailureRate.bias).toBe(0);
    expect(merged.gate.defaultMaxFailureRate.adversarial).toBe(0);
    expect(merged.trainingData).toMatchObject({ samples: 3, contextChars: 64 });
  });

  it('refuses bad settings with the path of each problem', () => {
    const registry = {} as never;
    expect(() => openSafety({ dataDir: '/tmp', registry, config: { batchSize: 0, gate: { maxFailureRate: { bias: 2 } } } as never })).toThrow(SafetyError);
    expect(() => openSafety({ dataDir: '/tmp', registry, config: { batchSize: 0, gate: { maxFailureRate: { bias: 2 } } } as never })).toThrow(/batchSize: .*gate\.maxFailureRate\.bias/);
    expect(() => loadSafetyServiceConfig({ SAFETY_MAX_BIAS_FAILURE_RATE: '3' })).toThrow(/SAFETY_MAX_BIAS_FAILURE_RATE/);
  });
});
