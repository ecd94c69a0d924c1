/** Starts ingestion and cleaning as two separate services, each with its own Kafka client. */
import { EventBus, KafkaBus } from '@crucible/bus';
import { brokers, groupAtEnd } from '@crucible/bus/testing';
import { CLEANING_GROUP, CleaningModule, openCleaning } from '@crucible/cleaning';
import { TOPICS } from '@crucible/contracts';
import { INGESTION_GROUP, IngestionModule } from '@crucible/ingestion';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function startService(name: string, stage: DynamicModule, run: string, bodyParser = true): Promise<RunningService> {
  const logger = createLogger(name, 'warn');
  const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: `e2e-${name}`, instanceId: `e2e-${name}-${run}` }), `crucible/${name}`);
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics(name) }), stage] })
  class ServiceApp {}
  const consumers = { groupOf: (group: string) => groupOfRun(group, run) };
  return runService({ module: ServiceApp, bus, logger, host: '127.0.0.1', port: 0, bodyParser, consumers });
}

const groupOfRun = (group: string, run: string) => `${group}.e2e-${run}`;

/** This run's consumer groups start at their topics' current end (see `groupAtEnd`). */
async function startGroupsAtEnd(run: string): Promise<void> {
  await groupAtEnd(groupOfRun(INGESTION_GROUP, run), [TOPICS.documentsReceived]);
  await groupAtEnd(groupOfRun(CLEANING_GROUP, run), [TOPICS.documentsIngested]);
}

/** The run a test document was tagged with in its metadata. */
export const runTag = (event: { payload: { metadata?: Record<string, unknown> } }): unknown => event.payload.metadata?.['run'];

export async function startPipeline(limits: { maxDocumentBytes: number }, run: string): Promise<RunningService[]> {
  await startGroupsAtEnd(run);
  const dataDir = mkdtempSync(join(tmpdir(), 'crucible-pipeline-'));
  const cleaning = openCleaning({ config: {}, dedupIndexPath: join(dataDir, 'dedup.sqlite') });
  return Promise.all([
    startService('ingestion', IngestionModule.register({ limits }), run, false),
    startService('cleaning', CleaningModule.forRoot(cleaning), run),
  ]);
}
