/** The bus conformance suite against the real Kafka broker that infra/kafka starts. */
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe } from 'vitest';
import { dlqTopic } from '@crucible/contracts';
import { busConformance } from '../testing';
import { KafkaBus } from './kafka-bus';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const kafka = new Kafka({ clientId: 'bus-conformance-reader', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let adminReady: Promise<void> | undefined;

/** Reads a topic from the beginning up to its current end (read-committed). */
async function readAll(topic: string) {
  adminReady ??= admin.connect();
  await adminReady;
  const ends = await admin.fetchTopicOffsets(topic);
  const target = new Map(ends.map((p) => [p.partition, BigInt(p.offset)]));
  const rows: { key: string | null; value: string; headers: Record<string, string> }[] = [];
  if ([...target.values()].every((end) => end === 0n)) return rows;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const reached = new Map<number, bigint>();
  await new Promise<void>((resolve) => {
    const check = () => {
      // Transaction markers occupy offsets too, so "done" means the next fetch position reached the end.
      if ([...target].every(([p, end]) => end === 0n || (reached.get(p) ?? -1n) >= end - 1n)) resolve();
    };
    const timer = setTimeout(resolve, 10_000);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          rows.push({
            key: m.key?.toString() ?? null,
            value: m.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])),
          });
        }
        reached.set(batch.partition, BigInt(batch.lastOffset()));
        check();
        if (rows.length > 0 || batch.isEmpty()) check();
      },
    });
    check();
    void timer;
  }).finally(() => consumer.disconnect());
  return rows;
}

const buses: KafkaBus[] = [];
afterAll(async () => {
  await Promise.all(buses.map((b) => b.close()));
  if (adminReady) await admin.disconnect();
});

describe('KafkaBus (conformance, real broker)', () => {
  busConformance(() => {
    const suffix = randomUUID().slice(0, 8);
    return {
      makeBus: async () => {
        const bus = new KafkaBus({ brokers, clientId: 'bus-conformance', instanceId: `test-${suffix}`, partitions: 1 });
        buses.push(bus);
        return bus;
      },
      topic: async (name) => {
        const topic = `test.${name}.${suffix}`;
        const bus = new KafkaBus({ brokers, clientId: 'bus-conformance-admin' });
        await bus.ensureTopics([topic, dlqTopic(topic)]);
        return topic;
      },
      readAll,
    };
  });
});
