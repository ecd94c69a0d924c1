/** Standalone entry of the tokenization service (one container per stage in production). */
import { EventBus } from '@crucible/bus';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadTokenizationServiceConfig } from './config';
import { openTokenization } from './open-tokenization';
import type { TokenizationConfigInput } from './tokenization.config';
import { TokenizationModule } from './tokenization.module';

async function main(): Promise<void> {
  const config = loadTokenizationServiceConfig();
  const logger = createLogger('tokenization', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), 'crucible/tokenization');
  const fromFile = config.TOKENIZATION_CONFIG_FILE
    ? ((parseYaml(readFileSync(config.TOKENIZATION_CONFIG_FILE, 'utf8')) as TokenizationConfigInput | null) ?? {})
    : {};
  const tokenization = openTokenization({
    dataDir: config.CRUCIBLE_DATA_DIR,
    group: config.TOKENIZATION_CONSUMER_GROUP,
    config: { ...fromFile, ...(config.TOKENIZATION_DATASET && { dataset: config.TOKENIZATION_DATASET }) },
  });
  @Module({
    imports: [PlatformModule.forRoot({ config, logger, bus, metrics: new Metrics('tokenization') }), TokenizationModule.forRoot(tokenization)],
  })
  class TokenizationApp {}
  const service = await runService({ module: TokenizationApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT });
  stopOnSignals(service, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
