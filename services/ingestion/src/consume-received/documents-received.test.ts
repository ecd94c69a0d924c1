/** The bus way in: documents.received → documents.ingested, and every refusal in the DLQ with its reason. */
import { DLQ_HEADERS } from '@crucible/bus';
import { TOPICS, createEvent, serializeEvent } from '@crucible/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentIdOf } from '../document/document-id';
import { type IngestionHarness, startIngestion, until } from '../testing/ingestion-harness';

let h: IngestionHarness;
beforeAll(async () => {
  h = await startIngestion({ maxDocumentBytes: 100 });
});
afterAll(() => h.stop());

const received = (payload: Parameters<typeof createEvent<typeof TOPICS.documentsReceived>>[1], id?: string) =>
  createEvent(TOPICS.documentsReceived, payload, { source: 'test-app', key: 'k', ...(id ? { id } : {}) });
const produce = (value: Buffer | string, key = 'k') => h.transport.publish(TOPICS.documentsReceived, [{ key, value: Buffer.from(value) }]);

/** Waits until the consumer group has committed everything produced so far. */
const drained = () => until(() => {
  const { end, committed } = h.transport.lag(TOPICS.documentsReceived, 'ingestion');
  return end > 0 && committed === end;
});

describe('documents.received consumer', () => {
  it('emits documents.ingested with the content hash, the envelope time and lineage', async () => {
    const event = received({ content: 'A letter.', mediaType: 'text/markdown', externalId: 'x-1', metadata: { from: 'app' } });
    await produce(serializeEvent(event));
    await drained();
    const [ingested] = h.ingested();
    expect(ingested!.key).toBe(documentIdOf('A letter.'));
    expect(ingested!.lineage).toEqual({ correlationId: event.id, causationId: event.id, documentId: documentIdOf('A letter.') });
    expect(ingested!.payload).toEqual({
      documentId: documentIdOf('A letter.'),
      content: 'A letter.',
      mediaType: 'text/markdown',
      bytes: 9,
      externalId: 'x-1',
      source: { kind: 'kafka', uri: `kafka:${TOPICS.documentsReceived}/0/0` },
      metadata: { from: 'app' },
      receivedAt: event.time,
    });
  });

  it('keeps a source the producer declared', async () => {
    const before = h.ingested().length;
    await produce(serializeEvent(received({ content: 'From disk.', source: { kind: 'file', uri: 'file:///x.txt', name: 'x.txt' } })));
    await drained();
    expect(h.ingested()[before]!.payload.source).toEqual({ kind: 'file', uri: 'file:///x.txt', name: 'x.txt' });
  });

  it('a redelivered event yields the same ingested event id (idempotent downstream)', async () => {
    const event = received({ content: 'Twice.' }, 'fixed-id-1');
    const before = h.ingested().length;
    await produce(serializeEvent(event));
    await produce(serializeEvent(event));
    await drained();
    const ids = h.ingested().slice(before).map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('dead-letters malformed JSON, a wrong shape, an oversize and an empty document, each with a precise reason', async () => {
    const before = h.ingested().length;
    const dlqBefore = h.deadLetters().length;
    await produce('{"id": "broken"');
    await produce(JSON.stringify({ ...received({ content: 'x' }), payload: { body: 'no content field' } }));
    await produce(serializeEvent(received({ content: 'é'.repeat(60) })));
    await produce(serializeEvent(received({ content: ' \n ' })));
    const invalidUtf8 = Buffer.from(serializeEvent(received({ content: 'bad~' })));
    invalidUtf8[invalidUtf8.indexOf('bad~') + 3] = 0xff;
    await produce(invalidUtf8);
    await produce(serializeEvent(received({ content: 'Fine after all that.' })));
    await drained();

    expect(h.ingested().slice(before).map((e) => e.payload.content)).toEqual(['Fine after all that.']);
    const dead = h.deadLetters().slice(dlqBefore);
    expect(dead.map((d) => [d.headers[DLQ_HEADERS.code], d.headers[DLQ_HEADERS.attempts]])).toEqual([
      ['invalid_event', '1'],
      ['invalid_event', '1'],
      ['document_too_large', '1'],
      ['invalid_document', '1'],
      ['invalid_document', '1'],
    ]);
    const reasons = dead.map((d) => d.headers[DLQ_HEADERS.reason]);
    expect(reasons[0]).toMatch(/not valid JSON/);
    expect(reasons[1]).toMatch(/payload\.content: .*expected string/i);
    expect(reasons[1]).toMatch(/body/);
    expect(reasons[2]).toBe('document is 120 bytes; the limit is 100');
    expect(reasons[3]).toBe('content is empty (only whitespace)');
    expect(reasons[4]).toMatch(/not valid UTF-8 \(byte offset \d+ of the value\)/);
    expect(dead[2]!.headers[DLQ_HEADERS.topic]).toBe(TOPICS.documentsReceived);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/crucible_ingestion_documents_total\{outcome="rejected",via="kafka",service="ingestion"\} 3/);
  });
});

describe('IngestionModule.register({ group })', () => {
  it('consumes under the given group, independently of the default one', async () => {
    const other = await startIngestion({}, 'ingestion-replay');
    try {
      await other.transport.publish(TOPICS.documentsReceived, [{ key: 'k', value: serializeEvent(received({ content: 'Replayed.' })) }]);
      await until(() => other.transport.lag(TOPICS.documentsReceived, 'ingestion-replay').committed === 1);
      expect(other.transport.lag(TOPICS.documentsReceived, 'ingestion')).toEqual({ end: 1, committed: 0 });
      expect(other.ingested().map((e) => e.payload.content)).toEqual(['Replayed.']);
    } finally {
      await other.stop();
    }
  });
});
