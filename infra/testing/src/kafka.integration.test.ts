// Produce/consume through the real broker that infra/kafka/up starts (or KAFKA_BROKERS):
// kafkajs to kafkajs, and kcat (an independent librdkafka client) to kafkajs.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKafka, ensureTopics } from './kafka';
import { REPO_ROOT } from './launcher';

const RECEIVE_TIMEOUT_MS = 30_000;

function uniqueTopic(name: string): string {
  return `crucible.infra-testing.${name}.${process.pid}-${Date.now().toString(36)}.v1`;
}

/** Subscribes from the beginning and resolves with the first `count` messages. */
async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
): Promise<{ consumer: Consumer; messages: KafkaMessage[] }> {
  const consumer = kafka.consumer({ groupId: `${topic}.reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: KafkaMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${count} message(s) on ${topic} within ${RECEIVE_TIMEOUT_MS} ms`)),
      RECEIVE_TIMEOUT_MS,
    );
    consumer
      .run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  return { consumer, messages };
}

function ensureKcat(): string {
  if (spawnSync('kcat', ['-V']).status === 0) return 'kcat';
  execFileSync(path.join(REPO_ROOT, 'infra/kafka/install-kcat'), { stdio: ['ignore', 'inherit', 'inherit'] });
  return 'kcat';
}

describe('Kafka (real broker)', () => {
  let brokers: string[];
  let kafka: Kafka;
  const consumers: Consumer[] = [];

  beforeAll(async () => {
    ({ brokers } = await ensureKafka());
    kafka = new Kafka({ clientId: 'infra-testing', brokers, logLevel: logLevel.ERROR });
  }, 10 * 60_000);

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
  });

  it('ensureTopics creates topics once, with 3 partitions for data and 1 for .dlq', async () => {
    const data = uniqueTopic('partitions');
    const dlq = `${data}.dlq`;
    expect((await ensureTopics(brokers, [data, dlq])).sort()).toEqual([data, dlq].sort());
    expect(await ensureTopics(brokers, [data, dlq])).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [data, dlq] });
      const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual({ [data]: 3, [dlq]: 1 });
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers a kafkajs-produced message, with key and headers, to a kafkajs consumer', async () => {
    const topic = uniqueTopic('kafkajs');
    await ensureTopics(brokers, [topic]);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'doc-1', value: JSON.stringify({ text: 'hello crucible' }), headers: { 'ce-type': 'test' } },
      ],
    });
    await producer.disconnect();

    const { consumer, messages } = await consume(kafka, topic, 1);
    consumers.push(consumer);

    expect(messages[0]?.key?.toString()).toBe('doc-1');
    expect(JSON.parse(messages[0]?.value?.toString() ?? 'null')).toEqual({ text: 'hello crucible' });
    expect(messages[0]?.headers?.['ce-type']?.toString()).toBe('test');
  });

  it('delivers a kcat-produced message to a kafkajs consumer', async () => {
    const kcat = ensureKcat();
    const topic = uniqueTopic('kcat');
    await ensureTopics(brokers, [topic]);
    execFileSync(kcat, ['-P', '-b', brokers.join(','), '-t', topic, '-K', '|', '-H', 'source=kcat'], {
      input: 'doc-2|{"text":"from kcat"}\n',
      timeout: RECEIVE_TIMEOUT_MS,
    });

    const { consumer, messages } = await consume(kafka, topic, 1);
    consumers.push(consumer);

    expect(messages[0]?.key?.toString()).toBe('doc-2');
    expect(JSON.parse(messages[0]?.value?.toString() ?? 'null')).toEqual({ text: 'from kcat' });
    expect(messages[0]?.headers?.source?.toString()).toBe('kcat');
  });
});
