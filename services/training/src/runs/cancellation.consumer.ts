/** `training-cancellation.requested` → the run's attempt stopped and the run `cancelled`; unknown or finished runs are left alone. */
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume, LOGGER, type Logger } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TrainingError } from '../training.errors';
import { TrainingRunsService } from './training-runs.service';

export const cancellationGroupOf = (group: string): string => `${group}.cancel`;

export function cancellationConsumerFor(group: string): Type<unknown> {
  @Controller()
  class CancellationConsumer {
    constructor(
      @Inject(TrainingRunsService) private readonly runs: TrainingRunsService,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {}

    @Consume(TOPICS.trainingCancellationRequested, cancellationGroupOf(group))
    async onCancellation(@Payload() event: Event<typeof TOPICS.trainingCancellationRequested>): Promise<void> {
      try {
        await this.runs.cancel(event.payload.runId, event.payload.reason);
      } catch (error) {
        // Nothing to stop: a run of another deployment on a shared topic, or one that already ended.
        if (error instanceof TrainingError && (error.code === 'run_not_found' || error.code === 'run_finished')) {
          this.logger.info({ runId: event.payload.runId, code: error.code }, 'cancellation ignored');
          return;
        }
        throw error;
      }
    }
  }
  return CancellationConsumer;
}
