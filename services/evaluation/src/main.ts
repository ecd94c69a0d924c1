/** Standalone entry of the evaluation service (one container per stage in production). */
import { EventBus } from '@crucible/bus';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { openRegistry, registryUrlFrom } from '@crucible/registry';
import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadEvaluationServiceConfig } from './config';
import type { EvaluationConfigInput } from './evaluation.config';
import { EvaluationModule } from './evaluation.module';
import { openEvaluation } from './open-evaluation';

async function main(): Promise<void> {
  const config = loadEvaluationServiceConfig();
  const logger = createLogger('evaluation', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/evaluation');
  const registry = await openRegistry(config.CRUCIBLE_REGISTRY_URL ?? registryUrlFrom({}, config.CRUCIBLE_DATA_DIR));
  const fromFile = config.EVALUATION_CONFIG_FILE
    ? ((parseYaml(readFileSync(config.EVALUATION_CONFIG_FILE, 'utf8')) as EvaluationConfigInput | null) ?? {})
    : {};
  const gate = {
    ...fromFile.gate,
    ...(config.EVALUATION_MAX_PERPLEXITY !== undefined && { maxPerplexity: config.EVALUATION_MAX_PERPLEXITY }),
    ...(config.EVALUATION_MAX_BITS_PER_BYTE !== undefined && { maxBitsPerByte: config.EVALUATION_MAX_BITS_PER_BYTE }),
    ...(config.EVALUATION_MIN_BLEU !== undefined && { minBleu: config.EVALUATION_MIN_BLEU }),
    ...(config.EVALUATION_MAX_REGRESSION !== undefined && { maxRegression: config.EVALUATION_MAX_REGRESSION }),
  };
  const evaluation = openEvaluation({
    dataDir: config.CRUCIBLE_DATA_DIR,
    registry,
    group: config.EVALUATION_CONSUMER_GROUP,
    config: {
      ...fromFile,
      gate,
      ...(config.EVALUATION_TASKS_DIR && { tasksDir: config.EVALUATION_TASKS_DIR }),
      ...(config.EVALUATION_MAX_HELD_OUT_TOKENS && { perplexity: { ...fromFile.perplexity, maxTokens: config.EVALUATION_MAX_HELD_OUT_TOKENS } }),
    },
  });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('evaluation') }), EvaluationModule.forRoot(evaluation)],
  })
  class EvaluationApp {}
  const service = await runService({ module: EvaluationApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT });
  // The registry closes after the consumer has drained, so an evaluation in flight can still store its report.
  stopOnSignals({ stop: () => service.stop().finally(() => registry.close()) }, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
