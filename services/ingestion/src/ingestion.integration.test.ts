/**
 * Ingestion over the real Kafka broker that infra/kafka starts (the integration project's
 * globalSetup exports KAFKA_BROKERS and creates the contract topics). Records are produced to
 * `crucible.documents.received.v1` as any application or kcat would; the service runs as in
 * production (Nest app, KafkaBus, exactly-once consume-transform-produce).
 *
 * Topics are shared and persist between runs: this run consumes under its own group and
 * counts only records carrying its run id, so reruns are independent.
 */
import { DLQ_HEADERS, type IncomingRecord, KafkaBus, EventBus } from '@crucible/bus';
import { TOPICS, createEvent, dlqTopic, parseEvent, serializeEvent, type DocumentIngested } from '@crucible/contracts';
import { Metrics, PlatformModule, type RunningService, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from './document/document-id';
import { INGESTION_SOURCE } from './ingest-documents/ingestion.options';
import { IngestionModule } from './ingestion.module';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const runId = randomUUID().slice(0, 8);
const MAX_DOCUMENT_BYTES = 64 * 1024;

const buses: KafkaBus[] = [];
const kafkaBus = (name: string) => {
  const bus = new KafkaBus({ brokers, clientId: `ingestion-it-${name}`, instanceId: `${name}-${runId}` });
  buses.push(bus);
  return bus;
};

let service: RunningService;
/** Distinct events of this run on documents.ingested, as an idempotent consumer sees them. */
const ingested: DocumentIngested[] = [];
const ingestedIds = new Set<string>();
/** Every record of this run on documents.ingested, duplicates included. */
const ingestedRecords: { id: string; partition: number; offset: string }[] = [];
const deadLetters: IncomingRecord[] = [];

/** Collects this run's records from a topic through a fresh group that reads from the beginning. */
async function collect(bus: KafkaBus, topic: string, sink: (record: IncomingRecord) => void): Promise<void> {
  await bus.subscribe({ group: `ingestion-it-reader-${topic}-${runId}`, topics: [topic], handler: async (record) => sink(record) });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

beforeAll(async () => {
  const transport = kafkaBus('service');
  const bus = new EventBus(transport, INGESTION_SOURCE);
  const logger = createLogger('ingestion-it', 'warn');
  @Module({
    imports: [
      PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('ingestion') }),
      IngestionModule.register({ limits: { maxDocumentBytes: MAX_DOCUMENT_BYTES }, group: `ingestion-it-${runId}` }),
    ],
  })
  class IntegrationApp {}
  service = await runService({ module: IntegrationApp, bus, logger, host: '127.0.0.1', port: 0, bodyParser: false });

  const reader = kafkaBus('reader');
  await collect(reader, TOPICS.documentsIngested, (record) => {
    const { payload, id } = parseEvent(TOPICS.documentsIngested, record.value);
    if (payload.metadata.runId !== runId) return;
    ingestedRecords.push({ id, partition: record.partition, offset: record.offset });
    // Consumers are idempotent by event id (architecture.md): count what they see.
    if (!ingestedIds.has(id)) {
      ingestedIds.add(id);
      ingested.push(payload);
    }
  });
  await collect(reader, dlqTopic(TOPICS.documentsReceived), (record) => {
    if (record.value.includes(runId)) deadLetters.push(record);
  });
});

afterAll(async () => {
  await service?.stop();
  await Promise.all(buses.map((b) => b.close()));
});

describe('ingestion over Kafka', () => {
  it('ingests valid documents and duplicates, dead-letters malformed, wrong-shape, oversize and empty records: exact counts', async () => {
    const received = (content: string, n: number, extra: Record<string, unknown> = {}) =>
      createEvent(TOPICS.documentsReceived, { content, externalId: `${runId}-${n}`, metadata: { runId }, ...extra }, { source: 'kcat', key: `${runId}-${n}` });
    const texts = [0, 1, 2, 3, 4].map((i) => `Document ${i} of run ${runId}: plain English text.`);
    const records = [
      ...texts.map((text, i) => ({ key: `${runId}-${i}`, value: serializeEvent(received(text, i)) })),
      // The same text again, under another external id: same documentId (dedup is the cleaning stage's).
      { key: `${runId}-5`, value: serializeEvent(received(texts[0]!, 5)) },
      { key: `${runId}-6`, value: Buffer.from(`{"runId":"${runId}", "this is": not JSON`) },
      { key: `${runId}-7`, value: Buffer.from(JSON.stringify({ ...received('x', 7), payload: { body: 'no content', metadata: { runId } } })) },
      { key: `${runId}-8`, value: serializeEvent(received('x'.repeat(MAX_DOCUMENT_BYTES + 1), 8)) },
      { key: `${runId}-9`, value: serializeEvent(received('  \n\t ', 9)) },
    ];
    const producer = kafkaBus('producer');
    await producer.publish(TOPICS.documentsReceived, records);

    await until(() => ingested.length >= 6 && deadLetters.length >= 4, 90_000);
    // Let anything extra (a duplicate from a redelivery) arrive before counting exactly.
    await new Promise((r) => setTimeout(r, 3_000));

    expect(ingested).toHaveLength(6);
    expect(new Set(ingested.map((d) => d.documentId))).toEqual(new Set(texts.map(documentIdOf)));
    expect(ingested.map((d) => d.externalId).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${runId}-${i}`).sort());
    expect(ingested.find((d) => d.externalId === `${runId}-0`)).toMatchObject({
      content: texts[0],
      mediaType: 'text/plain',
      source: { kind: 'kafka', uri: expect.stringMatching(new RegExp(`^kafka:${TOPICS.documentsReceived.replace(/\./g, '\\.')}/\\d+/\\d+$`)) },
    });

    expect(deadLetters).toHaveLength(4);
    const byKey = new Map(deadLetters.map((r) => [r.key, r.headers]));
    expect(byKey.get(`${runId}-6`)?.[DLQ_HEADERS.code]).toBe('invalid_event');
    expect(byKey.get(`${runId}-6`)?.[DLQ_HEADERS.reason]).toMatch(/not valid JSON/);
    expect(byKey.get(`${runId}-7`)?.[DLQ_HEADERS.code]).toBe('invalid_event');
    expect(byKey.get(`${runId}-7`)?.[DLQ_HEADERS.reason]).toMatch(/payload\.content/);
    expect(byKey.get(`${runId}-8`)?.[DLQ_HEADERS.code]).toBe('document_too_large');
    expect(byKey.get(`${runId}-8`)?.[DLQ_HEADERS.reason]).toBe(`document is ${MAX_DOCUMENT_BYTES + 1} bytes; the limit is ${MAX_DOCUMENT_BYTES}`);
    expect(byKey.get(`${runId}-9`)?.[DLQ_HEADERS.code]).toBe('invalid_document');
    expect(byKey.get(`${runId}-9`)?.[DLQ_HEADERS.reason]).toBe('content is empty (only whitespace)');
    for (const headers of byKey.values()) expect(headers[DLQ_HEADERS.group]).toBe(`ingestion-it-${runId}`);
  });

  it('HTTP uploads land on the real topic too', async () => {
    const before = ingested.length;
    const response = await fetch(`${service.url}/v1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: [`{"content":"HTTP one ${runId}","metadata":{"runId":"${runId}"}}`, `{"content":"HTTP two ${runId}","metadata":{"runId":"${runId}"}}`].join('\n'),
    });
    expect(response.status).toBe(202);
    await until(() => ingested.length >= before + 2, 30_000);
    // The two documents have different keys, so they may land on different partitions: no order.
    expect(ingested.slice(before).map((d) => `${d.content} via ${d.source.kind}`).sort()).toEqual([`HTTP one ${runId} via http`, `HTTP two ${runId} via http`]);
  });

  it('exactly once: no input was turned into two records on documents.ingested', () => {
    // The same id at two positions is a duplicate in the topic; the same position seen twice is
    // only the reader's own at-least-once delivery into this in-memory list.
    const positionsById = new Map<string, Set<string>>();
    for (const r of ingestedRecords) positionsById.set(r.id, (positionsById.get(r.id) ?? new Set()).add(`${r.partition}/${r.offset}`));
    const duplicates = [...positionsById].filter(([, positions]) => positions.size > 1).map(([id, positions]) => ({ id, positions: [...positions] }));
    expect(duplicates, 'the same event id was committed twice by one consumer generation (KafkaBus consume-transform-produce)').toEqual([]);
  });
});
