/**
 * `training.requested` → a run. Idempotent per run id (a redelivered request starts nothing).
 * A request that can never run (unknown dataset, invalid model or hyper-parameters) is not
 * dead-lettered — it is a valid event with a bad idea in it — but answered with a
 * non-retriable `training.failed` and recorded as a `failed` run, so whoever asked sees why.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { TrainingRunsService } from './training-runs.service';

export const TRAINING_GROUP = 'crucible.training';

export function trainingRequestsConsumerFor(group: string): Type<unknown> {
  @Controller()
  class TrainingRequestsConsumer {
    constructor(@Inject(TrainingRunsService) private readonly runs: TrainingRunsService) {}

    @Consume(TOPICS.trainingRequested, group)
    async onRequested(@Payload() event: Event<typeof TOPICS.trainingRequested>, @Ctx() context: EventContext): Promise<void> {
      const outcome = await this.runs.accept(event.payload);
      if (outcome.kind === 'rejected') {
        context.emit(TOPICS.trainingFailed, outcome.failed, { key: outcome.failed.runId, lineage: { runId: outcome.failed.runId, datasetId: event.payload.datasetId } });
      }
    }
  }
  return TrainingRequestsConsumer;
}
