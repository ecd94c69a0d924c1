/**
 * The bus as a NestJS microservice transport: every `@Consume(topic, group)` handler of the
 * application is subscribed through the project's EventBus, whichever adapter is behind it
 * (nestjs/nest `server-kafka.ts` is the model). Errors propagate to the bus, which retries
 * and dead-letters them.
 */
import type { Subscription } from '@crucible/bus';
import type { EventBus } from '@crucible/bus';
import type { Topic } from '@crucible/contracts';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { ConsumeExtras } from './consume.decorator';

export interface BusServerOptions {
  /**
   * Rewrites each handler's consumer group, e.g. to give a test run groups of its own so it
   * neither competes with nor inherits the offsets of other deployments on a shared cluster.
   */
  readonly groupOf?: (group: string) => string;
  /** Where a group without committed offsets starts; default the beginning (nothing is skipped). */
  readonly fromBeginning?: boolean;
}

export class BusServer extends Server implements CustomTransportStrategy {
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly options: BusServerOptions = {},
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.getHandlers()) {
        this.subscriptions.push(await this.subscribeHandler(pattern as Topic, handler));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((s) => s.stop()));
  }

  on(): never {
    throw new Error('BusServer does not emit status events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private subscribeHandler(topic: Topic, handler: MessageHandler): Promise<Subscription> {
    const extras = (handler.extras ?? {}) as Partial<ConsumeExtras>;
    if (!extras.group) throw new Error(`handler for ${topic} has no consumer group; use @Consume(topic, group)`);
    return this.bus.subscribe(
      topic,
      this.options.groupOf?.(extras.group) ?? extras.group,
      async (event, context) => {
        const result = await handler(event, context);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      },
      { retry: extras.maxAttempts ? { maxAttempts: extras.maxAttempts } : undefined, fromBeginning: this.options.fromBeginning },
    );
  }
}
