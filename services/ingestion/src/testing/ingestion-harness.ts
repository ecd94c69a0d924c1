/**
 * Test harness: the ingestion module running for real (Nest, HTTP on an ephemeral port, the
 * bus transport) on an in-memory embedded bus, with helpers to read what it published.
 */
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { type DocumentIngested, type Event, TOPICS, dlqTopic, parseEvent } from '@crucible/contracts';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import type { IngestionLimits } from '../document/ingestion-limits';
import { INGESTION_SOURCE } from '../ingest-documents/ingestion.options';
import { IngestionModule } from '../ingestion.module';

export interface IngestionHarness {
  readonly url: string;
  readonly service: RunningService;
  readonly transport: EmbeddedBus;
  readonly bus: EventBus;
  readonly metrics: Metrics;
  /** Every `documents.ingested` event published so far, in order. */
  ingested(): Event<typeof TOPICS.documentsIngested>[];
  /** Dead-letter records of `documents.received`. */
  deadLetters(): { value: Buffer; headers: Record<string, string> }[];
  stop(): Promise<void>;
}

export async function startIngestion(limits: Partial<IngestionLimits> = {}, group?: string): Promise<IngestionHarness> {
  const transport = new EmbeddedBus({ path: ':memory:', idlePollMs: 10 });
  const bus = new EventBus(transport, INGESTION_SOURCE);
  const logger = createLogger('ingestion-test', 'silent');
  const metrics = new Metrics('ingestion');

  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics }), IngestionModule.register({ limits, group })] })
  class TestApp {}

  const service = await runService({ module: TestApp, bus, logger, host: '127.0.0.1', port: 0, bodyParser: false });
  return {
    url: service.url,
    service,
    transport,
    bus,
    metrics,
    ingested: () => transport.read(TOPICS.documentsIngested, 0, 0, 100_000).map((r) => parseEvent(TOPICS.documentsIngested, r.value)),
    deadLetters: () => transport.read(dlqTopic(TOPICS.documentsReceived), 0, 0, 100_000),
    stop: () => service.stop(),
  };
}

export const payloads = (harness: IngestionHarness): DocumentIngested[] => harness.ingested().map((e) => e.payload);

/** Polls until `condition` holds (the bus consumer runs asynchronously) or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
