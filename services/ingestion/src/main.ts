/**
 * The standalone ingestion service (containers, Helm): config from the environment, JSON
 * logs, the configured bus, HTTP on HTTP_HOST:HTTP_PORT, graceful shutdown on SIGTERM/SIGINT.
 * Run: `node scripts/run-ts.cjs services/ingestion/src/main.ts`.
 */
import { EventBus } from '@crucible/bus';
import { Metrics, PlatformModule, createBus, createLogger, runService, stopOnSignals } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { limitsOf, loadConfig } from './config';
import { INGESTION_SOURCE } from './ingest-documents/ingestion.options';
import { IngestionModule } from './ingestion.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('ingestion', config.LOG_LEVEL);
  const bus = new EventBus(createBus(config, logger), INGESTION_SOURCE);
  const metrics = new Metrics('ingestion');

  @Module({ imports: [PlatformModule.forRoot({ config, logger, bus, metrics }), IngestionModule.register({ limits: limitsOf(config), group: config.INGESTION_CONSUMER_GROUP })] })
  class IngestionApp {}

  // bodyParser off: the HTTP API reads raw bodies of every media type itself, with its own byte limit.
  const service = await runService({ module: IngestionApp, bus, logger, host: config.HTTP_HOST, port: config.HTTP_PORT, bodyParser: false });
  stopOnSignals(service, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(`ingestion failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
