/**
 * Translates `model.trained` into an evaluation and `model.evaluated` (keyed by model, emitted
 * with the input's offset commit). The group is fixed when the class is declared, so
 * `trainedConsumerFor(group)` declares one per group.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { forTheBus } from '../evaluation.errors';
import { EvaluateModelService } from './evaluate-model.service';

export const EVALUATION_GROUP = 'crucible.evaluation';

export function trainedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class ModelTrainedConsumer {
    constructor(@Inject(EvaluateModelService) private readonly service: EvaluateModelService) {}

    @Consume(TOPICS.modelTrained, group)
    async onTrained(@Payload() event: Event<typeof TOPICS.modelTrained>, @Ctx() context: EventContext): Promise<void> {
      const { evaluated } = await forTheBus(() => this.service.evaluate(event.payload));
      context.emit(TOPICS.modelEvaluated, evaluated, { key: event.payload.model, lineage: { modelVersionId: evaluated.modelVersionId } });
    }
  }
  return ModelTrainedConsumer;
}
