/**
 * Reads the pipeline's output topics on the real broker the way a downstream consumer
 * would (read-committed), keeping only the records of one test run.
 */
import { type Event, TOPICS, type Topic, parseEvent } from '@crucible/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const brokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

export interface RawRecord {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Collects every committed record of `topics` produced after `start()`, until stopped. It
 * starts at the topics' current end (committed offsets set before joining), so earlier runs'
 * records on the shared topics cost nothing and nothing produced later is skipped.
 */
export class TopicProbe {
  private readonly kafka = new Kafka({ clientId: 'e2e-probe', brokers: brokers(), logLevel: logLevel.NOTHING });
  private readonly groupId = `e2e-probe-${randomUUID()}`;
  private readonly consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: false });
  private readonly parsed = new Map<RawRecord, unknown>();
  readonly records = new Map<string, RawRecord[]>();
  /** A restarted probe consumer re-reads from its last auto-commit; positions already seen are skipped. */
  private readonly seen = new Set<string>();

  constructor(private readonly topics: readonly string[]) {
    for (const topic of topics) this.records.set(topic, []);
  }

  async start(): Promise<this> {
    const admin = this.kafka.admin();
    await admin.connect();
    for (const topic of this.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId: this.groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
    await admin.disconnect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const position = `${topic}/${partition}/${message.offset}`;
        if (this.seen.has(position)) return;
        this.seen.add(position);
        this.records.get(topic)!.push({
          key: message.key?.toString() ?? null,
          value: message.value ?? Buffer.alloc(0),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    return this;
  }

  events<T extends Topic>(topic: T, keep: (event: Event<T>) => boolean): Event<T>[] {
    return (this.records.get(topic) ?? [])
      .map((r) => {
        if (!this.parsed.has(r)) this.parsed.set(r, parseEvent(topic, r.value));
        return this.parsed.get(r) as Event<T>;
      })
      .filter(keep);
  }

  raw(topic: string, keep: (record: RawRecord) => boolean): RawRecord[] {
    return (this.records.get(topic) ?? []).filter(keep);
  }

  async until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export const runTag = (event: { payload: { metadata?: Record<string, unknown> } }): unknown => event.payload.metadata?.['run'];
export { TOPICS };
