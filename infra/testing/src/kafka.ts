/**
 * Kafka for integration suites: find (KAFKA_BROKERS) or start (infra/kafka/up) a broker,
 * and create topics idempotently through the kafkajs admin client.
 * kafkajs is imported lazily so suites that only need PostgreSQL never load it.
 */
import { readOverrides } from './config';
import { runLauncher } from './launcher';

/** Data topics get 3 partitions (exercises keyed ordering across partitions). */
export const DATA_TOPIC_PARTITIONS = 3;
/** `.dlq` topics get 1: low volume, read front to back when auditing failures. */
export const DLQ_TOPIC_PARTITIONS = 1;
/** First provision downloads ~80 MB from Maven (2-3 min on a busy 2-core box); a restart 15-30 s. */
const KAFKA_UP_TIMEOUT_MS = 10 * 60_000;

export interface KafkaConnection {
  readonly brokers: string[];
}

let started: Promise<KafkaConnection> | undefined;

/**
 * Returns the brokers from KAFKA_BROKERS when set (nothing is started); otherwise runs
 * infra/kafka/up, which reuses a running broker, and returns 127.0.0.1:19092.
 */
export function ensureKafka(): Promise<KafkaConnection> {
  const { kafkaBrokers } = readOverrides();
  if (kafkaBrokers) return Promise.resolve({ brokers: [...kafkaBrokers] });
  started ??= runLauncher('kafka', { timeoutMs: KAFKA_UP_TIMEOUT_MS }).then((line) => ({
    brokers: line.split(',').map((b) => b.trim()),
  }));
  return started;
}

export function partitionsFor(topic: string): number {
  return topic.endsWith('.dlq') ? DLQ_TOPIC_PARTITIONS : DATA_TOPIC_PARTITIONS;
}

/**
 * Creates the topics that do not exist yet (replication factor 1) and waits for their
 * leaders. Safe to call concurrently and repeatedly. Returns the names it created.
 *
 * @example
 *   const { brokers } = await ensureKafka();
 *   await ensureTopics(brokers, ['crucible.documents.received.v1']);
 */
export async function ensureTopics(brokers: readonly string[], topics: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) return [];
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({
    clientId: 'crucible-infra-testing',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitionsFor(topic),
          replicationFactor: 1,
        })),
      });
    } catch (err) {
      // Another process may have created some of them in between: fine if all exist now.
      const now = new Set(await admin.listTopics());
      if (!missing.every((t) => now.has(t))) throw err;
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}

/**
 * ALL_TOPICS from libs/contracts, or [] (with a warning) while that lib does not exist.
 * Loaded by specifier at run time so this package does not depend on contracts to build.
 */
export async function contractTopics(): Promise<string[]> {
  const specifier = '@crucible/contracts';
  try {
    const contracts = (await import(/* @vite-ignore */ specifier)) as { ALL_TOPICS?: unknown };
    if (Array.isArray(contracts.ALL_TOPICS)) return contracts.ALL_TOPICS.map(String);
    console.warn(`[infra-testing] ${specifier} has no ALL_TOPICS array; no topics created`);
  } catch (err) {
    console.warn(`[infra-testing] cannot load ${specifier} (${(err as Error).message}); no topics created`);
  }
  return [];
}
