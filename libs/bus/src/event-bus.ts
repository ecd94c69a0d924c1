/**
 * The typed layer services use: events in, events out, validated against `contracts` on
 * both sides. A record that fails validation is not retried: it goes straight to the
 * dead-letter topic with every issue listed in its reason header.
 *
 * Events emitted while handling an event inherit its lineage and get a deterministic id
 * derived from the input's id, so a redelivered input yields byte-identical outputs that
 * downstream consumers can recognise by id.
 */
import {
  type CreateEventOptions,
  type Event,
  type Lineage,
  type PayloadInputOf,
  type Topic,
  ValidationError,
  createEvent,
  describeIssues,
  parseEvent,
  serializeEvent,
} from '@crucible/contracts';
import { createHash } from 'node:crypto';
import type { Bus, IncomingRecord, RetryPolicy, Subscription } from './bus';

export const EVENT_ID_HEADER = 'x-crucible-event-id';
export const EVENT_TYPE_HEADER = 'x-crucible-event-type';

export interface EmitOptions {
  readonly key: string;
  readonly lineage?: Lineage;
  readonly id?: string;
}

export interface EventContext {
  readonly record: IncomingRecord;
  /** Emits an event atomically with the input's offset commit. */
  emit<U extends Topic>(topic: U, payload: PayloadInputOf<U>, options: EmitOptions): Event<U>;
}

export type EventHandler<T extends Topic> = (event: Event<T>, context: EventContext) => Promise<void>;

const recordOf = (event: Event<Topic>) => ({
  key: event.key,
  value: serializeEvent(event),
  headers: { [EVENT_ID_HEADER]: event.id, [EVENT_TYPE_HEADER]: `${event.type}.v${event.version}` },
});

const derivedId = (parentId: string, topic: string, index: number): string =>
  createHash('sha256').update(`${parentId}\u0000${topic}\u0000${index}`).digest('hex').slice(0, 32);

export class EventBus {
  constructor(
    readonly transport: Bus,
    /** `source` stamped on every event this bus creates, e.g. `crucible/cleaning`. */
    readonly source: string,
  ) {}

  async emit<T extends Topic>(topic: T, payload: PayloadInputOf<T>, options: EmitOptions): Promise<Event<T>> {
    const event = createEvent(topic, payload, { source: this.source, ...options } satisfies CreateEventOptions);
    await this.transport.publish(topic, [recordOf(event as Event<Topic>)]);
    return event;
  }

  async publishAll<T extends Topic>(topic: T, events: readonly Event<T>[]): Promise<void> {
    await this.transport.publish(topic, events.map((e) => recordOf(e as Event<Topic>)));
  }

  subscribe<T extends Topic>(
    topic: T,
    group: string,
    handler: EventHandler<T>,
    options: { retry?: Partial<RetryPolicy>; fromBeginning?: boolean } = {},
  ): Promise<Subscription> {
    return this.transport.subscribe({
      group,
      topics: [topic],
      retry: options.retry,
      fromBeginning: options.fromBeginning,
      handler: async (record, transportContext) => {
        let event: Event<T>;
        try {
          event = parseEvent(topic, record.value);
        } catch (error) {
          if (error instanceof ValidationError && error.issues.length > 0) {
            throw new ValidationError(`${error.message}: ${describeIssues(error.issues)}`, error.issues);
          }
          throw error;
        }
        const emitted = new Map<string, number>();
        await handler(event, {
          record,
          emit: (target, payload, emitOptions) => {
            const index = emitted.get(target) ?? 0;
            emitted.set(target, index + 1);
            const output = createEvent(target, payload, {
              source: this.source,
              key: emitOptions.key,
              id: emitOptions.id ?? derivedId(event.id, target, index),
              lineage: {
                ...event.lineage,
                correlationId: event.lineage.correlationId ?? event.id,
                causationId: event.id,
                ...emitOptions.lineage,
              },
            });
            transportContext.publish(target, [recordOf(output as Event<Topic>)]);
            return output;
          },
        });
      },
    });
  }
}
