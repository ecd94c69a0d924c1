/** Standalone entry of the cleaning service (one container per stage in production). */
import { EventBus } from '@crucible/bus';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { CleaningModule } from './cleaning.module';
import { loadCleaningServiceConfig } from './config';
import { openCleaning } from './open-cleaning';

async function main(): Promise<void> {
  const config = loadCleaningServiceConfig();
  const logger = createLogger('cleaning', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/cleaning');
  const cleaning = openCleaning({
    configFile: config.CLEANING_CONFIG_FILE,
    dedupIndexPath: config.DEDUP_INDEX_PATH ?? join(config.CRUCIBLE_DATA_DIR, 'cleaning', 'dedup.sqlite'),
  });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('cleaning') }), CleaningModule.forRoot(cleaning)],
  })
  class CleaningApp {}
  const service = await runService({ module: CleaningApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT });
  stopOnSignals(service, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
