/**
 * `datasets.sealed` → the catalog learns the version (so requests naming it can be resolved),
 * then the retrain policy decides whether to request training. The request is emitted through
 * the handler context: atomic with the input offset, with an id derived from the seal event.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume, LOGGER, type Logger } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { TRAINING_OPTIONS, type TrainingOptions } from '../training.options';
import { decideRetrain } from './retrain-policy';

export const datasetsGroupOf = (group: string): string => `${group}.datasets`;

export function datasetsSealedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class DatasetsSealedConsumer {
    constructor(
      @Inject(TRAINING_OPTIONS) private readonly options: TrainingOptions,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {}

    @Consume(TOPICS.datasetsSealed, datasetsGroupOf(group))
    async onSealed(@Payload() event: Event<typeof TOPICS.datasetsSealed>, @Ctx() context: EventContext): Promise<void> {
      const sealed = event.payload;
      const { catalog, settings } = this.options;
      catalog.record(sealed);
      const decision = decideRetrain(settings.retrain, sealed, catalog.lastRetrain(sealed.dataset), 'seal');
      if (decision.kind === 'skip') {
        this.logger.info({ datasetId: sealed.datasetId, reason: decision.reason }, 'no retraining');
        return;
      }
      if (decision.kind === 'train') catalog.markRetrain(decision.mark);
      context.emit(TOPICS.trainingRequested, decision.request, { key: decision.request.runId, lineage: { datasetId: sealed.datasetId, tokenizerId: sealed.tokenizerId, runId: decision.request.runId } });
      this.logger.info({ datasetId: sealed.datasetId, runId: decision.request.runId }, 'retraining requested');
    }
  }
  return DatasetsSealedConsumer;
}
