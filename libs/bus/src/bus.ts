/**
 * The transport interface every service talks through. Two adapters implement it with the
 * same semantics: Kafka (production) and an embedded SQLite log (one process on a laptop).
 *
 * Semantics, identical in both adapters:
 * - `publish` appends to a topic; records with the same key stay in order (one partition).
 * - `subscribe` joins a consumer group; within a partition a handler sees records in order,
 *   one at a time. At-least-once: the offset is committed only after the handler succeeds.
 * - Records the handler publishes through `context.publish` are committed atomically with
 *   the input offset (Kafka transactions / one SQLite transaction), so a crash mid-stream
 *   neither loses nor duplicates output.
 * - A failure is retried with backoff; a non-retriable failure, or one that outlives the
 *   retry policy, sends the record to `<topic>.dlq` with the reason in headers, and the
 *   stream moves on.
 * - `close` drains: in-flight handlers finish and commit before connections close.
 */
export type Headers = Readonly<Record<string, string>>;

export interface OutgoingRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Headers;
}

export interface IncomingRecord {
  readonly topic: string;
  readonly partition: number;
  /** Decimal string, as Kafka reports offsets (they can exceed 2^53). */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Headers;
  /** 1 on first delivery within this process; counts in-process retries. */
  readonly attempt: number;
}

export interface HandlerContext {
  /** Publishes atomically with this record's offset commit. */
  publish(topic: string, records: readonly OutgoingRecord[]): void;
}

export type RecordHandler = (record: IncomingRecord, context: HandlerContext) => Promise<void>;

export interface RetryPolicy {
  /** Attempts in total, the first included, before the record goes to the dead-letter topic. */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
}

export interface SubscribeOptions {
  readonly group: string;
  readonly topics: readonly string[];
  readonly handler: RecordHandler;
  readonly retry?: Partial<RetryPolicy>;
  /** Where a group with no committed offset starts. Default: the beginning, so nothing is skipped. */
  readonly fromBeginning?: boolean;
}

export interface Subscription {
  /** Stops consuming after in-flight records finish and commit. */
  stop(): Promise<void>;
}

export interface Bus {
  readonly kind: 'kafka' | 'embedded';
  publish(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Records in a topic, for status displays. Exact in the embedded log; on Kafka it is the
   * sum of end minus start offsets, which also counts transaction markers.
   */
  countRecords(topic: string): Promise<number>;
  /** Ensures topics exist (and their dead-letter topics); idempotent. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Header names a dead-letter record carries. */
export const DLQ_HEADERS = {
  reason: 'x-crucible-dlq-reason',
  code: 'x-crucible-dlq-code',
  attempts: 'x-crucible-dlq-attempts',
  topic: 'x-crucible-original-topic',
  partition: 'x-crucible-original-partition',
  offset: 'x-crucible-original-offset',
  group: 'x-crucible-consumer-group',
  failedAt: 'x-crucible-failed-at',
} as const;
