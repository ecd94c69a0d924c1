/** Starts ingestion and cleaning as two separate services, each with its own Kafka client. */
import { EventBus, KafkaBus } from '@crucible/bus';
import { CLEANING_GROUP, CleaningModule, openCleaning } from '@crucible/cleaning';
import { TOPICS } from '@crucible/contracts';
import { INGESTION_GROUP, IngestionModule } from '@crucible/ingestion';
import { Kafka, logLevel } from 'kafkajs';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokers } from './kafka-probe';

async function startService(name: string, stage: DynamicModule, run: string, bodyParser = true): Promise<RunningService> {
  const logger = createLogger(name, 'warn');
  const bus = new EventBus(new KafkaBus({ brokers: brokers(), clientId: `e2e-${name}`, instanceId: `e2e-${name}-${run}` }), `crucible/${name}`);
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics(name) }), stage] })
  class ServiceApp {}
  const consumers = { groupOf: (group: string) => groupOfRun(group, run) };
  return runService({ module: ServiceApp, bus, logger, host: '127.0.0.1', port: 0, bodyParser, consumers });
}

const groupOfRun = (group: string, run: string) => `${group}.e2e-${run}`;

/**
 * Gives this run's consumer groups committed offsets at the current end of their topics:
 * earlier runs' records on the shared topics are neither re-processed nor allowed into this
 * run's dedup index, and nothing produced after this point can be skipped (which starting
 * a new group "at the latest offset" could do, racing the first fetch).
 */
async function startGroupsAtEnd(run: string): Promise<void> {
  const admin = new Kafka({ clientId: 'e2e-admin', brokers: brokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const [group, topic] of [
      [INGESTION_GROUP, TOPICS.documentsReceived],
      [CLEANING_GROUP, TOPICS.documentsIngested],
    ] as const) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId: groupOfRun(group, run), topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
  } finally {
    await admin.disconnect();
  }
}

export async function startPipeline(limits: { maxDocumentBytes: number }, run: string): Promise<RunningService[]> {
  await startGroupsAtEnd(run);
  const dataDir = mkdtempSync(join(tmpdir(), 'crucible-pipeline-'));
  const cleaning = openCleaning({ config: {}, dedupIndexPath: join(dataDir, 'dedup.sqlite') });
  return Promise.all([
    startService('ingestion', IngestionModule.register({ limits }), run, false),
    startService('cleaning', CleaningModule.forRoot(cleaning), run),
  ]);
}
