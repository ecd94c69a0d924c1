/**
 * The embedded adapter: a durable log in one SQLite file (or in memory for tests) with the
 * same topic, partition, offset and consumer-group semantics as the Kafka adapter, so the
 * whole lifecycle runs in one process on a laptop and survives a restart.
 *
 * Outputs of a handler and the commit of its input offset happen in one SQLite transaction:
 * exactly-once processing within the embedded log, as Kafka transactions give in production.
 */
import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import type { Bus, OutgoingRecord, SubscribeOptions, Subscription } from '../bus';
import { deliver, type PendingPublish } from '../deliver';
import { resolveRetryPolicy } from '../retry-policy';
import { partitionFor } from '../partitioner';

export interface EmbeddedBusOptions {
  /** SQLite file path; `:memory:` for a log that dies with the process. */
  readonly path: string;
  /** Partitions of a topic created on first use. One keeps every topic totally ordered. */
  readonly defaultPartitions?: number;
  /** Kafka deployments create topics up front; the embedded log creates them on first use by default. */
  readonly autoCreateTopics?: boolean;
  /** How long an idle consumer sleeps before looking again if no wake-up arrives. */
  readonly idlePollMs?: number;
  readonly batchSize?: number;
  readonly onError?: (error: unknown, context: { topic: string; group: string }) => void;
}

interface Row {
  offset: number;
  key: string | null;
  value: Buffer;
  headers: string;
}

export class UnknownTopicError extends Error {
  readonly code = 'unknown_topic' as const;
  readonly retriable = false;
  constructor(readonly topic: string) {
    super(`topic '${topic}' does not exist`);
  }
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS topics (name TEXT PRIMARY KEY, partitions INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS records (
    topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
    key TEXT, value BLOB NOT NULL, headers TEXT NOT NULL, time INTEGER NOT NULL,
    PRIMARY KEY (topic, partition, offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS commits (
    grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
    PRIMARY KEY (grp, topic, partition)
  ) WITHOUT ROWID;
`;

export class EmbeddedBus implements Bus {
  readonly kind = 'embedded' as const;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly subscriptions = new Set<EmbeddedSubscription>();
  private readonly members = new Set<string>();
  private readonly partitionsOf = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: EmbeddedBusOptions) {
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    for (const row of this.db.prepare('SELECT name, partitions FROM topics').all() as { name: string; partitions: number }[]) {
      this.partitionsOf.set(row.name, row.partitions);
    }
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO topics (name, partitions) VALUES (?, ?)');
    const partitions = this.options.defaultPartitions ?? 1;
    this.db.transaction(() => {
      for (const topic of topics) {
        insert.run(topic, partitions);
        if (!this.partitionsOf.has(topic)) this.partitionsOf.set(topic, partitions);
      }
    })();
  }

  async publish(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => this.append([{ topic, records }]))();
    this.appended.emit(topic);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
    for (const topic of options.topics) {
      const member = `${options.group}\u0000${topic}`;
      if (this.members.has(member)) {
        throw new Error(`group '${options.group}' already consumes '${topic}' in this process`);
      }
      this.members.add(member);
      this.partitionCount(topic);
    }
    const subscription = new EmbeddedSubscription(this, options, () => {
      this.subscriptions.delete(subscription);
      for (const topic of options.topics) this.members.delete(`${options.group}\u0000${topic}`);
    });
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    this.db.close();
  }

  /** Records of a topic from `fromOffset` on; for tools and tests (e.g. reading a DLQ). */
  read(topic: string, partition = 0, fromOffset = 0, limit = 1_000): { offset: number; key: string | null; value: Buffer; headers: Record<string, string> }[] {
    const rows = this.db
      .prepare('SELECT offset, key, value, headers FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?')
      .all(topic, partition, fromOffset, limit) as Row[];
    return rows.map((r) => ({ offset: r.offset, key: r.key, value: r.value, headers: JSON.parse(r.headers) }));
  }

  async countRecords(topic: string): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM records WHERE topic = ?').get(topic) as { n: number }).n;
  }

  /** Records in a topic across partitions, and how many a group has not yet committed. */
  lag(topic: string, group: string): { end: number; committed: number } {
    const end = (this.db.prepare('SELECT COUNT(*) AS n FROM records WHERE topic = ?').get(topic) as { n: number }).n;
    const committed = (
      this.db.prepare('SELECT COALESCE(SUM(next_offset), 0) AS n FROM commits WHERE grp = ? AND topic = ?').get(group, topic) as { n: number }
    ).n;
    return { end, committed };
  }

  // ——— used by EmbeddedSubscription ———

  /** @internal */ partitionCount(topic: string): number {
    const known = this.partitionsOf.get(topic);
    if (known !== undefined) return known;
    if (this.options.autoCreateTopics === false) throw new UnknownTopicError(topic);
    void this.ensureTopics([topic]);
    return this.partitionsOf.get(topic)!;
  }

  /** @internal */ fetch(group: string, topic: string, partition: number, limit: number): Row[] {
    const committed = this.db
      .prepare('SELECT next_offset FROM commits WHERE grp = ? AND topic = ? AND partition = ?')
      .get(group, topic, partition) as { next_offset: number } | undefined;
    return this.db
      .prepare('SELECT offset, key, value, headers FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?')
      .all(topic, partition, committed?.next_offset ?? 0, limit) as Row[];
  }

  /** @internal Appends the handler's outputs and commits the input offset in one transaction. */
  commit(group: string, topic: string, partition: number, offset: number, publishes: readonly PendingPublish[]): void {
    if (this.closed) return;
    this.db.transaction(() => {
      this.append(publishes);
      this.db
        .prepare(
          `INSERT INTO commits (grp, topic, partition, next_offset) VALUES (?, ?, ?, ?)
           ON CONFLICT (grp, topic, partition) DO UPDATE SET next_offset = excluded.next_offset`,
        )
        .run(group, topic, partition, offset + 1);
    })();
    for (const { topic: written } of publishes) this.appended.emit(written);
  }

  /** @internal */ waitForAppend(topic: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.appended.off(topic, done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.appended.once(topic, done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** @internal */ get settings(): EmbeddedBusOptions {
    return this.options;
  }

  private append(publishes: readonly PendingPublish[]): void {
    const insert = this.db.prepare(
      'INSERT INTO records (topic, partition, offset, key, value, headers, time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const next = this.db.prepare('SELECT COALESCE(MAX(offset) + 1, 0) AS next FROM records WHERE topic = ? AND partition = ?');
    for (const { topic, records } of publishes) {
      const partitions = this.partitionCount(topic);
      for (const record of records) {
        const partition = partitionFor(record.key, partitions);
        const { next: offset } = next.get(topic, partition) as { next: number };
        insert.run(topic, partition, offset, record.key, record.value, JSON.stringify(record.headers ?? {}), Date.now());
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('embedded bus is closed');
  }
}

class EmbeddedSubscription implements Subscription {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly bus: EmbeddedBus,
    private readonly options: SubscribeOptions,
    private readonly onStopped: () => void,
  ) {}

  start(): void {
    for (const topic of this.options.topics) {
      for (let partition = 0; partition < this.bus.partitionCount(topic); partition++) {
        this.loops.push(this.consume(topic, partition));
      }
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops);
    this.loops = [];
    this.onStopped();
  }

  private get running(): boolean {
    return !this.abort.signal.aborted;
  }

  private async consume(topic: string, partition: number): Promise<void> {
    const { group, handler } = this.options;
    const policy = resolveRetryPolicy(this.options.retry);
    const { batchSize = 100, idlePollMs = 1_000, onError } = this.bus.settings;
    while (this.running) {
      const rows = this.bus.fetch(group, topic, partition, batchSize);
      if (rows.length === 0) {
        await this.bus.waitForAppend(topic, idlePollMs, this.abort.signal);
        continue;
      }
      for (const row of rows) {
        if (!this.running) return;
        const record = {
          topic,
          partition,
          offset: String(row.offset),
          key: row.key,
          value: row.value,
          headers: JSON.parse(row.headers) as Record<string, string>,
        };
        try {
          const outcome = await deliver(record, handler, {
            group,
            policy,
            isRunning: () => this.running,
            onError: (error) => onError?.(error, { topic, group }),
          });
          this.bus.commit(group, topic, partition, row.offset, outcome.publishes);
        } catch {
          return; // stopping mid-retry: the record stays uncommitted and is redelivered on restart
        }
      }
    }
  }
}
