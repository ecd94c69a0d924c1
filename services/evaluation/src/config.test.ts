import { ConfigError } from '@crucible/contracts';
import { describe, expect, it } from 'vitest';
import { loadEvaluationServiceConfig } from './config';

describe('evaluation service config', () => {
  it('has defaults that run embedded with the bundled tasks', () => {
    const config = loadEvaluationServiceConfig({});
    expect(config).toMatchObject({ CRUCIBLE_BUS: 'embedded', EVALUATION_CONSUMER_GROUP: 'crucible.evaluation', HTTP_PORT: 8085 });
    expect(config.EVALUATION_TASKS_DIR).toBeUndefined();
  });

  it('coerces gate overrides and lists every problem at once', () => {
    expect(loadEvaluationServiceConfig({ EVALUATION_MAX_PERPLEXITY: '60', EVALUATION_MAX_REGRESSION: '0.05' })).toMatchObject({
      EVALUATION_MAX_PERPLEXITY: 60,
      EVALUATION_MAX_REGRESSION: 0.05,
    });
    const error = (() => {
      try {
        loadEvaluationServiceConfig({ EVALUATION_MAX_PERPLEXITY: '-1', EVALUATION_MAX_REGRESSION: 'lots' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.path.join('.')).sort()).toEqual(['EVALUATION_MAX_PERPLEXITY', 'EVALUATION_MAX_REGRESSION']);
    expect(() => loadEvaluationServiceConfig({ CRUCIBLE_BUS: 'kafka' })).toThrow(ConfigError);
  });
});
