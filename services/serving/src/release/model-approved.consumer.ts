/** `model.approved` → the embedded release controller (only registered in embedded rollout mode). */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ServingRuntime } from '../serving-runtime';

export const SERVING_GROUP = 'crucible.serving';

export function approvedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class ModelApprovedConsumer {
    constructor(@Inject(ServingRuntime) private readonly runtime: ServingRuntime) {}

    @Consume(TOPICS.modelApproved, group)
    onApproved(@Payload() event: Event<typeof TOPICS.modelApproved>, @Ctx() context: EventContext): Promise<void> {
      return this.runtime.release!.onApproved(event, context);
    }
  }
  return ModelApprovedConsumer;
}
