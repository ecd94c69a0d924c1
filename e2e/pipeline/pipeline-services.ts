/** Starts ingestion and cleaning as two separate services, each with its own Kafka client. */
import { EventBus, KafkaBus } from '@crucible/bus';
import { CleaningModule, openCleaning } from '@crucible/cleaning';
import { IngestionModule } from '@crucible/ingestion';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokers } from './kafka-probe';

async function startService(name: string, stage: DynamicModule, bodyParser = true): Promise<RunningService> {
  const logger = createLogger(name, 'warn');
  const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: `e2e-${name}`, instanceId: `e2e-${name}` }), `crucible/${name}`);
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics(name) }), stage] })
  class ServiceApp {}
  return runService({ module: ServiceApp, bus, logger, host: '127.0.0.1', port: 0, bodyParser });
}

export async function startPipeline(limits: { maxDocumentBytes: number }): Promise<RunningService[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crucible-pipeline-'));
  const cleaning = openCleaning({ config: {}, dedupIndexPath: join(dataDir, 'dedup.sqlite') });
  return Promise.all([
    startService('ingestion', IngestionModule.register({ limits }), false),
    startService('cleaning', CleaningModule.forRoot(cleaning)),
  ]);
}
