/**
 * Consumes the service's own `training.checkpointed` events and completes a run on its final
 * one: `model.trained` is emitted through the handler context, so it commits atomically with
 * the input offset and a redelivery produces the same (derived) event id.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CompleteRunService } from './complete-run.service';

export const completionGroupOf = (group: string): string => `${group}.completion`;

export function finalCheckpointConsumerFor(group: string): Type<unknown> {
  @Controller()
  class FinalCheckpointConsumer {
    constructor(@Inject(CompleteRunService) private readonly completion: CompleteRunService) {}

    @Consume(TOPICS.trainingCheckpointed, completionGroupOf(group))
    async onCheckpointed(@Payload() event: Event<typeof TOPICS.trainingCheckpointed>, @Ctx() context: EventContext): Promise<void> {
      let trained;
      try {
        trained = await this.completion.complete(event.payload);
      } catch (error) {
        // A final checkpoint that can never become a version (unreadable, inconsistent) fails the run; transient errors are retried by the bus.
        if ((error as { retriable?: unknown }).retriable !== false) throw error;
        const failed = await this.completion.failRun(event.payload, error);
        if (failed) context.emit(TOPICS.trainingFailed, failed, { key: failed.runId, lineage: { runId: failed.runId } });
        return;
      }
      if (!trained) return;
      context.emit(TOPICS.modelTrained, trained, {
        key: trained.model,
        lineage: { runId: trained.runId, datasetId: trained.datasetId, tokenizerId: trained.tokenizerId, modelVersionId: trained.modelVersionId },
      });
    }
  }
  return FinalCheckpointConsumer;
}
