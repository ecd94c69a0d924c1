/** Standalone entry of the safety service (one container per stage in production). */
import { EventBus } from '@crucible/bus';
import { openRegistry, registryUrlFrom } from '@crucible/registry';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadSafetyServiceConfig } from './config';
import { openSafety } from './open-safety';
import { safetyConfigFromEnv } from './safety-config-from-env';
import type { SafetyConfigInput } from './safety.config';
import { SafetyModule } from './safety.module';

async function main(): Promise<void> {
  const config = loadSafetyServiceConfig();
  const logger = createLogger('safety', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/safety');
  const registry = await openRegistry(config.CRUCIBLE_REGISTRY_URL ?? registryUrlFrom({}, config.CRUCIBLE_DATA_DIR));
  const fromFile = config.SAFETY_CONFIG_FILE ? ((parseYaml(readFileSync(config.SAFETY_CONFIG_FILE, 'utf8')) as SafetyConfigInput | null) ?? {}) : {};
  const safety = openSafety({ dataDir: config.CRUCIBLE_DATA_DIR, registry, group: config.SAFETY_CONSUMER_GROUP, config: safetyConfigFromEnv(fromFile, config) });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('safety') }), SafetyModule.forRoot(safety)],
  })
  class SafetyApp {}
  const service = await runService({ module: SafetyApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT });
  stopOnSignals(service, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
