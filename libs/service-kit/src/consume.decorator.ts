/**
 * Marks a controller method as the handler of a topic for a consumer group:
 *
 * @example
 * @Consume(TOPICS.documentsIngested, 'crucible.cleaning')
 * onIngested(@Payload() event: Event<…>, @Ctx() context: EventContext) { … }
 *
 * Like every Nest message handler it must sit on a `@Controller()` class, and it takes
 * `@Payload()` and `@Ctx()` (without them Nest passes only the payload). The bus transport
 * (bus-server.ts) subscribes it.
 *
 * A thrown error is wrapped in an `RpcException` so Nest's exception layer hands the original
 * error back to the bus instead of a generic "Internal server error": the bus needs the
 * typed error to decide between retrying and dead-lettering.
 */
import type { Topic } from '@crucible/contracts';
import { EventPattern, RpcException } from '@nestjs/microservices';

export interface ConsumeExtras {
  readonly group: string;
  readonly maxAttempts?: number;
}

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

export const Consume =
  (topic: Topic, group: string, options: { maxAttempts?: number } = {}): MethodDecorator =>
  (target, key, descriptor) => {
    const original = descriptor.value as unknown as AsyncMethod;
    const wrapped: AsyncMethod = async function (this: unknown, ...args) {
      try {
        return await original.apply(this, args);
      } catch (error) {
        throw new RpcException(error instanceof Error ? error : { message: String(error) });
      }
    };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    for (const metadataKey of Reflect.getMetadataKeys(original)) {
      Reflect.defineMetadata(metadataKey, Reflect.getMetadata(metadataKey, original), wrapped);
    }
    (descriptor as PropertyDescriptor).value = wrapped;
    return EventPattern(topic, { group, ...options } satisfies ConsumeExtras)(target, key, descriptor);
  };
