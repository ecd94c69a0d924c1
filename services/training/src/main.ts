/** Standalone entry of the training service (one container per stage in production). */
import { EventBus } from '@crucible/bus';
import { openRegistry, registryUrlFrom } from '@crucible/registry';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadTrainingServiceConfig, settingsOverrides } from './config';
import { closeTraining, openTraining } from './open-training';
import type { TrainingSettingsInput } from './training.config';
import { TrainingModule } from './training.module';

async function main(): Promise<void> {
  const config = loadTrainingServiceConfig();
  const logger = createLogger('training', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/training');
  const fromFile = config.TRAINING_CONFIG_FILE ? ((parseYaml(readFileSync(config.TRAINING_CONFIG_FILE, 'utf8')) as Record<string, unknown> | null) ?? {}) : {};
  const registry = await openRegistry(config.CRUCIBLE_REGISTRY_URL ?? registryUrlFrom({}, config.CRUCIBLE_DATA_DIR));
  const training = openTraining({
    dataDir: config.CRUCIBLE_DATA_DIR,
    registry,
    config: settingsOverrides(config, fromFile) as TrainingSettingsInput,
    group: config.TRAINING_CONSUMER_GROUP,
  });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('training') }), TrainingModule.forRoot(training)],
  })
  class TrainingApp {}
  const service = await runService({ module: TrainingApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT });
  stopOnSignals(
    {
      stop: async () => {
        await service.stop();
        closeTraining(training);
        await registry.close();
      },
    },
    logger,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
