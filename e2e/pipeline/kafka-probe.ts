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

/** Collects every committed record of `topics` from the beginning, until stopped. */
export class TopicProbe {
  private readonly kafka = new Kafka({ clientId: 'e2e-probe', brokers: brokers(), logLevel: logLevel.NOTHING });
  private readonly consumer = this.kafka.consumer({ groupId: `e2e-probe-${randomUUID()}`, readUncommitted: false });
  readonly records = new Map<string, RawRecord[]>();

  constructor(private readonly topics: readonly string[]) {
    for (const topic of topics) this.records.set(topic, []);
  }

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
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
    return (this.records.get(topic) ?? []).map((r) => parseEvent(topic, r.value)).filter(keep);
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
