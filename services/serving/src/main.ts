/** Standalone entry of the serving gateway (one Deployment in production). */
import { EventBus } from '@crucible/bus';
import { openRegistry, registryUrlFrom } from '@crucible/registry';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { loadServingServiceConfig, settingsFromConfig } from './config';
import { openServing } from './open-serving';
import { ServingModule } from './serving.module';

async function main(): Promise<void> {
  const config = loadServingServiceConfig();
  const logger = createLogger('serving', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/serving');
  const registry = await openRegistry(registryUrlFrom({ CRUCIBLE_REGISTRY_URL: config.CRUCIBLE_REGISTRY_URL }, config.CRUCIBLE_DATA_DIR));
  const serving = openServing({ dataDir: config.CRUCIBLE_DATA_DIR, registry, settings: settingsFromConfig(config) });
  @Module({ imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('serving') }), ServingModule.forRoot(serving)] })
  class ServingApp {}
  // The gateway reads bodies itself (size limit → 413, bad JSON → 400 in the OpenAI format).
  const service = await runService({ module: ServingApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT, bodyParser: false });
  stopOnSignals({ stop: async () => (await service.stop(), await registry.close()) }, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
