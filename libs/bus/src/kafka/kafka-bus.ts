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
  /** Without a heartbeat for this long a member leaves the group (its records are redelivered). Default 60 s. */
  readonly sessionTimeoutMs?: number;
  readonly onError?: (error: unknown, context: { topic: string; group: string }) => void;
}

type KafkaJs = typeof import('kafkajs');

/**
 * How often a consumer offers a heartbeat while one record's handler runs. kafkajs sends one
 * only when heartbeatInterval (3 s) has passed since the last *response*, so a timer at the same
 * 3 s lands just short of it every other time and the real gap doubles to 6 s — the session
 * timeout of a short-session group. Offering every second keeps the gap at 3–4 s.
 */
const HEARTBEAT_WHILE_HANDLING_MS = 1_000;
/** Upper bound on waiting for a group join in `subscribe`; consumption continues regardless. */
const GROUP_JOIN_WAIT_MS = 60_000;

// Loaded on first use, as Nest's server-kafka does, so importing the bus never loads the driver.
// eslint-disable-next-line @typescript-eslint/no-require-imports
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
      // Generous: a broker on a busy laptop or CI machine answers slowly, and a timed-out
      // request costs a retry storm, not an error.
      requestTimeout: 60_000,
      connectionTimeout: 10_000,
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
      this.kafka.consumer({
        groupId: options.group,
        readUncommitted: false,
        allowAutoTopicCreation: false,
        // Heartbeats go out between records and, while a slow handler runs, on a timer.
        sessionTimeout: this.options.sessionTimeoutMs ?? 60_000,
        heartbeatInterval: 3_000,
        // A consumer that crashes on a non-retriable broker error (a coordinator briefly
        // unavailable, a fenced producer) rejoins instead of leaving the stream stopped.
        retry: { retries: 10, initialRetryTime: 300, restartOnFailure: async () => true },
      }),
      () =>
        this.kafka.producer({
          transactionalId: `${options.group}.${instance}`,
          transactionTimeout: 120_000,
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        }),
      options,
      this.options,
      () => this.subscriptions.delete(subscription),
      (topic, partition) => this.committedOffset(options.group, topic, partition),
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

  /** The group's committed offset of one partition, as the broker has it; -1 if none. */
  async committedOffset(group: string, topic: string, partition: number): Promise<bigint> {
    return this.withAdmin(async (admin) => {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committed = entry?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return BigInt(committed);
    });
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
  private producer: Producer;
  /** Per `topic/partition`, the next offset this process has committed in a transaction. */
  private readonly committedUpTo = new Map<string, bigint>();

  constructor(
    private readonly consumer: Consumer,
    private readonly makeProducer: () => Producer,
    private readonly options: SubscribeOptions,
    private readonly busOptions: KafkaBusOptions,
    private readonly onStopped: () => void,
    private readonly committedOffset: (topic: string, partition: number) => Promise<bigint>,
  ) {
    this.producer = makeProducer();
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    // Resolve once the member has joined its group, so a caller knows consumption is live.
    const joined = new Promise<void>((resolve) => {
      const remove = this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
        remove();
        resolve();
      });
      setTimeout(resolve, GROUP_JOIN_WAIT_MS).unref();
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1, // one transactional producer: one transaction at a time
      eachBatch: (payload) => this.handleBatch(payload),
    });
    await joined;
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
      try {
        await this.commitTransaction(batch.topic, batch.partition, lastOffset, pending);
      } catch (error) {
        // A commit that failed on the client may still have landed. Re-initialising the
        // transactional id makes the coordinator finish the old transaction first (commit if
        // EndTxn arrived, abort otherwise), so the committed offset read afterwards is final:
        // if it moved past this batch, the outputs are committed and a replay would duplicate them.
        await this.replaceProducer();
        const committed = await this.committedOffset(batch.topic, batch.partition).catch(() => -1n);
        if (committed <= BigInt(lastOffset)) throw error;
      }
      this.committedUpTo.set(partitionKey, BigInt(lastOffset) + 1n);
      resolveOffset(lastOffset);
      pending = [];
      lastOffset = undefined;
      await heartbeat();
    };

    const partitionKey = `${batch.topic}/${batch.partition}`;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || !this.running) break;
      // A rebalance right after a commit can hand this member an offset older than the one it
      // just committed: kafkajs cannot ask for stable offsets (OffsetFetch requireStable,
      // KIP-447), so the transaction's offset may not be visible yet. Records below what this
      // process committed are done; processing them again would duplicate their outputs.
      if (BigInt(message.offset) < (this.committedUpTo.get(partitionKey) ?? -1n)) {
        resolveOffset(message.offset);
        continue;
      }
      const record: Omit<IncomingRecord, 'attempt'> = {
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key ? message.key.toString() : null,
        value: message.value ?? Buffer.alloc(0),
        headers: toHeaders(message.headers as IncomingRecordHeaders),
      };
      // A handler may run for minutes (evaluating or safety-testing a model): keep heartbeating
      // meanwhile, or the group evicts this member after sessionTimeout and redelivers the record.
      const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_WHILE_HANDLING_MS);
      let outcome: Awaited<ReturnType<typeof deliver>>;
      try {
        outcome = await deliver(record, handler, {
          group,
          policy,
          isRunning: () => isRunning() && this.running,
          onError: (error) => this.busOptions.onError?.(error, { topic: batch.topic, group }),
        });
      } finally {
        clearInterval(keepAlive);
      }
      pending.push(...outcome.publishes);
      lastOffset = message.offset;
      if (pending.length >= commitEvery) await flush();
      else await heartbeat(); // throttled by kafkajs to heartbeatInterval
    }
    await flush();
  }

  /**
   * A transactional producer that failed (fenced, epoch expired under load) is unusable; a new
   * one with the same transactional id re-initialises it and aborts whatever was left open.
   */
  private async replaceProducer(): Promise<void> {
    const broken = this.producer;
    this.producer = this.makeProducer();
    await broken.disconnect().catch(() => undefined);
    await this.producer.connect();
  }

  private async commitTransaction(topic: string, partition: number, offset: string, publishes: readonly PendingPublish[]): Promise<void> {
    const transaction: Transaction = await this.producer.transaction();
    try {
      // One produce request for all outputs: sequential sends would stretch the transaction
      // (it times out broker-side after transactionTimeout) by a round trip per record.
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const { topic: target, records } of publishes) byTopic.set(target, [...(byTopic.get(target) ?? []), ...records]);
      const topicMessages = [...byTopic].filter(([, records]) => records.length > 0).map(([target, records]) => ({ topic: target, messages: toMessages(records) }));
      if (topicMessages.length > 0) await transaction.sendBatch({ topicMessages, acks: -1 });
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
