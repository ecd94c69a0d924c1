/**
 * Creating and parsing events. `createEvent` validates the payload before it leaves the
 * producer; `parseEvent` validates the envelope and the payload on arrival and reports
 * every problem with its path, so a dead-letter record says exactly what was wrong.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { type Envelope, EnvelopeSchema, type Lineage } from './envelope';
import { type Issue, ValidationError } from './errors';
import { PAYLOAD_SCHEMAS, type PayloadInputOf, type PayloadOf } from './registry';
import type { Topic } from './topics';

export type Event<T extends Topic> = Envelope<PayloadOf<T>>;

export interface CreateEventOptions {
  readonly source: string;
  readonly key: string;
  readonly lineage?: Lineage;
  /** Deterministic id, for idempotent producers that may re-send the same event. */
  readonly id?: string;
  readonly time?: Date;
}

const typeOf = (topic: Topic): { type: string; version: number } => {
  const match = /^(.*)\.v(\d+)$/.exec(topic);
  if (!match) throw new ValidationError(`topic '${topic}' has no version suffix`);
  return { type: match[1]!, version: Number(match[2]) };
};

const toIssues = (error: z.ZodError, prefix: readonly (string | number)[] = []): Issue[] =>
  error.issues.map((i) => ({
    path: [...prefix, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')],
    message: i.message,
  }));

export function createEvent<T extends Topic>(
  topic: T,
  payload: PayloadInputOf<T>,
  options: CreateEventOptions,
): Event<T> {
  const parsed = PAYLOAD_SCHEMAS[topic].safeParse(payload);
  if (!parsed.success) {
    throw new ValidationError(`invalid payload for ${topic}`, toIssues(parsed.error, ['payload']));
  }
  return Object.freeze({
    id: options.id ?? randomUUID(),
    ...typeOf(topic),
    time: (options.time ?? new Date()).toISOString(),
    source: options.source,
    key: options.key,
    lineage: options.lineage ?? {},
    payload: parsed.data as PayloadOf<T>,
  });
}

/** Parses raw bytes or an object as an event of `topic`; throws `ValidationError` listing every issue. */
export function parseEvent<T extends Topic>(topic: T, raw: Buffer | string | unknown): Event<T> {
  let value: unknown = raw;
  if (typeof raw === 'string' || Buffer.isBuffer(raw)) {
    try {
      value = JSON.parse(raw.toString());
    } catch (error) {
      throw new ValidationError(`message on ${topic} is not valid JSON: ${(error as Error).message}`, [
        { path: [], message: 'not JSON' },
      ]);
    }
  }
  const envelope = EnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    throw new ValidationError(`invalid envelope on ${topic}`, toIssues(envelope.error));
  }
  const expected = typeOf(topic);
  if (envelope.data.type !== expected.type || envelope.data.version !== expected.version) {
    throw new ValidationError(`event type ${envelope.data.type}.v${envelope.data.version} does not belong on ${topic}`, [
      { path: ['type'], message: `expected ${expected.type} version ${expected.version}` },
    ]);
  }
  const payload = PAYLOAD_SCHEMAS[topic].safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new ValidationError(`invalid payload on ${topic}`, toIssues(payload.error, ['payload']));
  }
  return Object.freeze({ ...envelope.data, payload: payload.data as PayloadOf<T> });
}

export const serializeEvent = (event: Envelope): Buffer => Buffer.from(JSON.stringify(event));

/** Summarises validation issues on one line, for logs and dead-letter headers. */
export const describeIssues = (issues: readonly Issue[]): string =>
  issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
