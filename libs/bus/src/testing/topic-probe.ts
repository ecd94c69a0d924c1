/**
 * Reads topics on the real broker that infra/kafka starts the way a downstream consumer
 * would (read-committed), keeping only what a test run produces: its consumer group gets
 * committed offsets at the topics' current end before it joins.
 */
import { type Event, type Topic, parseEvent } from '@crucible/contracts';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** The integration broker: KAFKA_BROKERS (set by the integration globalSetup) or infra/kafka's default. */
export const brokers = (): string[] => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

const POLL_MS = 100;

/**
 * Gives `groupId` committed offsets at the current end of each of `topics`, so it reads only
 * what is produced from now on. Earlier runs' records on the shared topics cost nothing, and
 * nothing produced later can be skipped (which joining a new group "at the latest offset"
 * could do, racing the first fetch).
 */
export async function groupAtEnd(groupId: string, topics: readonly string[], kafkaBrokers: string[] = brokers()): Promise<void> {
  const admin = new Kafka({ clientId: 'group-at-end', brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({ groupId, topic, partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })) });
    }
  } finally {
    await admin.disconnect();
  }
}

export interface RawRecord {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export interface TopicProbeOptions {
  /** Kafka client id; the probe's group is `<clientId>-<uuid>`. */
  readonly clientId?: string;
  readonly brokers?: string[];
}

/**
 * Collects every committed record of `topics` produced after `start()`, until stopped.
 *
 * @example
 * const probe = await new TopicProbe([TOPICS.modelEvaluated]).start();
 * await probe.until(() => probe.events(TOPICS.modelEvaluated, mine).length > 0, 60_000, () => 'no model.evaluated');
 * await probe.stop();
 */
export class TopicProbe {
  private readonly kafkaBrokers: string[];
  private readonly groupId: string;
  private readonly consumer: Consumer;
  private readonly parsed = new Map<RawRecord, unknown>();
  readonly records = new Map<string, RawRecord[]>();
  /** A restarted probe consumer re-reads from its last auto-commit; positions already seen are skipped. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly topics: readonly string[],
    { clientId = 'topic-probe', brokers: kafkaBrokers = brokers() }: TopicProbeOptions = {},
  ) {
    this.kafkaBrokers = kafkaBrokers;
    this.groupId = `${clientId}-${randomUUID()}`;
    this.consumer = new Kafka({ clientId, brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).consumer({ groupId: this.groupId, readUncommitted: false });
    for (const topic of topics) this.records.set(topic, []);
  }

  async start(): Promise<this> {
    await groupAtEnd(this.groupId, this.topics, this.kafkaBrokers);
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

  /** The records of `topic` seen so far, parsed and validated against its contract, that `keep` accepts. */
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

  /** Polls `condition` until it holds; past `timeoutMs` fails with `describe()`. */
  async until(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
