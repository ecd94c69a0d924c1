/**
 * Runs a handler on one record with the retry policy, and decides what gets committed with
 * the record's offset: the handler's outputs on success, or one dead-letter record once the
 * failure is final. Shared by both adapters so their semantics cannot drift apart.
 */
import { dlqTopic, isRetriable, CrucibleError } from '@crucible/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ_HEADERS, type IncomingRecord, type OutgoingRecord, type RecordHandler, type RetryPolicy } from './bus';
import { backoffMs } from './retry-policy';

export interface PendingPublish {
  readonly topic: string;
  readonly records: readonly OutgoingRecord[];
}

export interface DeliveryOutcome {
  readonly status: 'handled' | 'dead-lettered';
  readonly publishes: readonly PendingPublish[];
  readonly attempts: number;
  readonly error?: unknown;
}

export interface DeliverOptions {
  readonly group: string;
  readonly policy: RetryPolicy;
  /** Stops retrying early when the consumer is shutting down; the record is then redelivered later. */
  readonly isRunning: () => boolean;
  readonly onError?: (error: unknown, record: IncomingRecord) => void;
}

export class DeliveryAbortedError extends Error {
  readonly code = 'delivery_aborted' as const;
  readonly retriable = true;
}

const describe = (error: unknown): { code: string; reason: string } =>
  error instanceof CrucibleError
    ? { code: error.code, reason: error.message }
    : { code: 'handler_failed', reason: error instanceof Error ? error.message : String(error) };

export function deadLetterRecord(record: IncomingRecord, error: unknown, attempts: number, group: string): PendingPublish {
  const { code, reason } = describe(error);
  return {
    topic: dlqTopic(record.topic),
    records: [
      {
        key: record.key ?? '',
        value: record.value,
        headers: {
          ...record.headers,
          [DLQ_HEADERS.reason]: reason.slice(0, 4_000),
          [DLQ_HEADERS.code]: code,
          [DLQ_HEADERS.attempts]: String(attempts),
          [DLQ_HEADERS.topic]: record.topic,
          [DLQ_HEADERS.partition]: String(record.partition),
          [DLQ_HEADERS.offset]: record.offset,
          [DLQ_HEADERS.group]: group,
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ],
  };
}

export async function deliver(
  record: Omit<IncomingRecord, 'attempt'>,
  handler: RecordHandler,
  options: DeliverOptions,
): Promise<DeliveryOutcome> {
  for (let attempt = 1; ; attempt++) {
    const publishes: PendingPublish[] = [];
    const current: IncomingRecord = { ...record, attempt };
    try {
      await handler(current, { publish: (topic, records) => void publishes.push({ topic, records }) });
      return { status: 'handled', publishes, attempts: attempt };
    } catch (error) {
      options.onError?.(error, current);
      const final = !isRetriable(error) || attempt >= options.policy.maxAttempts;
      if (final) {
        return {
          status: 'dead-lettered',
          publishes: [deadLetterRecord(current, error, attempt, options.group)],
          attempts: attempt,
          error,
        };
      }
      if (!options.isRunning()) throw new DeliveryAbortedError('consumer stopping; record left for redelivery');
      await sleep(backoffMs(options.policy, attempt));
    }
  }
}
