/**
 * Marks a method as the handler of a topic for a consumer group:
 * `@Consume(TOPICS.documentsIngested, 'cleaning')`. The bus transport (bus-server.ts)
 * subscribes it; the method receives the validated event and its context. Like every
 * Nest message handler it must sit on a `@Controller()` class.
 */
import type { Topic } from '@crucible/contracts';
import { EventPattern } from '@nestjs/microservices';

export interface ConsumeExtras {
  readonly group: string;
  readonly maxAttempts?: number;
}

export const Consume = (topic: Topic, group: string, options: { maxAttempts?: number } = {}) =>
  EventPattern(topic, { group, ...options } satisfies ConsumeExtras);
