/**
 * The Kafka adapter (kafkajs). kafkajs is loaded lazily and only ever seen here, so the
 * client stays swappable (it is unmaintained upstream; anchors.md).
 *
 * Consume-transform-produce is exactly-once: a handler's outputs and its input offset are
 * committed in one Kafka transaction, and consumers read committed data only. Plain
 * `publish` uses the idempotent producer (acks=all, no duplicates on producer retries).
 */
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaConfig, Producer, Transaction } from 'kafkajs';
import { hostname } from 'node:os';
import type { Bus, IncomingRecord, OutgoingRecord, SubscribeOptions, Subscription } from '../bus';
import { deliver, type PendingPublish } from '../deliver';
import { resolveRetryPolicy } from '../retry-policy';
import { TransportUnavailableError } from '@crucible/contracts';

export interface KafkaBusOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** Stable per replica (pod name), so a restarted replica fences its predecessor's open transaction. */
  readonly instanceId?: string;
  readonly ssl?: KafkaConfig['ssl'];
  readonly sasl?: KafkaConfig['sasl'];
  readonly partitions?: number;
  /** Commit a transaction at least every this many records within a fetched batch. */
  readonly commitEvery?: number;
  readonly onError?: (error: unknown, context: { topic: string; group: string }) => void;
}

type KafkaJs = typeof import('kafkajs');

const loadKafkaJs = (): KafkaJs => require('kafkajs') as KafkaJs;

const toHeaders = (headers: IncomingRecordHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
};
type IncomingRecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const toMessages = (records: readonly OutgoingRecord[]) =>
  records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } }));

export class KafkaBus implements Bus {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private readonly subscriptions = new Set<KafkaSubscription>();

  constructor(private readonly options: KafkaBusOptions) {
    const { Kafka: KafkaClient, logLevel } = loadKafkaJs();
    this.kafka = new KafkaClient({
      clientId: options.clientId,
      brokers: [...options.brokers],
      ssl: options.ssl,
      sasl: options.sasl,
      logLevel: logLevel.ERROR,
      retry: { retries: 8, initialRetryTime: 200 },
    } as KafkaConfig);
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 3 })),
      });
    });
  }

  async countRecords(topic: string): Promise<number> {
    return this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
    });
  }

  async publish(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const producer = await this.sharedProducer();
    try {
      await producer.send({ topic, acks: -1, messages: toMessages(records) });
    } catch (error) {
      throw new TransportUnavailableError(`publish to ${topic} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const instance = this.options.instanceId ?? hostname();
    const subscription = new KafkaSubscription(
      this.kafka.consumer({ groupId: options.group, readUncommitted: false, allowAutoTopicCreation: false }),
      this.kafka.producer({
        transactionalId: `${options.group}.${instance}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      }),
      options,
      this.options,
      () => this.subscriptions.delete(subscription),
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.producer) await (await this.producer).disconnect();
    this.producer = undefined;
  }

  async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private sharedProducer(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })();
    return this.producer;
  }
}

class KafkaSubscription implements Subscription {
  private running = true;

  constructor(
    private readonly consumer: Consumer,
    private readonly producer: Producer,
    private readonly options: SubscribeOptions,
    private readonly busOptions: KafkaBusOptions,
    private readonly onStopped: () => void,
  ) {}

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1, // one transactional producer: one transaction at a time
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    // kafkajs waits for the batch in flight, which commits before returning.
    await this.consumer.disconnect();
    await this.producer.disconnect();
    this.onStopped();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { group, handler } = this.options;
    const policy = resolveRetryPolicy(this.options.retry);
    const commitEvery = this.busOptions.commitEvery ?? 100;
    let pending: PendingPublish[] = [];
    let lastOffset: string | undefined;

    const flush = async (): Promise<void> => {
      if (lastOffset === undefined) return;
      await this.commitTransaction(batch.topic, batch.partition, lastOffset, pending);
      resolveOffset(lastOffset);
      pending = [];
      lastOffset = undefined;
      await heartbeat();
    };

    for (const message of batch.messages) {
      if (!isRunning() || isStale() || !this.running) break;
      const record: Omit<IncomingRecord, 'attempt'> = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key ? message.key.toString() : null,
        value: message.value ?? Buffer.alloc(0),
        headers: toHeaders(message.headers as IncomingRecordHeaders),
      };
      const outcome = await deliver(record, handler, {
        group,
        policy,
        isRunning: () => isRunning() && this.running,
        onError: (error) => this.busOptions.onError?.(error, { topic: batch.topic, group }),
      });
      pending.push(...outcome.publishes);
      lastOffset = message.offset;
      if (pending.length >= commitEvery) await flush();
    }
    await flush();
  }

  private async commitTransaction(topic: string, partition: number, offset: string, publishes: readonly PendingPublish[]): Promise<void> {
    const transaction: Transaction = await this.producer.transaction();
    try {
      for (const { topic: target, records } of publishes) {
        if (records.length > 0) await transaction.send({ topic: target, messages: toMessages(records) });
      }
      await transaction.sendOffsets({
        consumerGroupId: this.options.group,
        topics: [{ topic, partitions: [{ partition, offset: (BigInt(offset) + 1n).toString() }] }],
      });
      await transaction.commit();
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
