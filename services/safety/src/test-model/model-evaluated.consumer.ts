/**
 * Translates `model.evaluated` into a safety test: a failed evaluation is acknowledged and
 * skipped (logged); a passed one yields `model.safety-tested`, plus `model.approved` when the
 * safety verdict passed — emitted with the input's offset commit, keyed by model.
 */
import type { EventContext } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume, LOGGER, type Logger } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { SafetyTestService } from './safety-test.service';

export const SAFETY_GROUP = 'crucible.safety';

export function evaluatedConsumerFor(group: string): Type<unknown> {
  @Controller()
  class ModelEvaluatedConsumer {
    constructor(
      @Inject(SafetyTestService) private readonly service: SafetyTestService,
      @Inject(LOGGER) private readonly logger: Logger,
    ) {}

    @Consume(TOPICS.modelEvaluated, group)
    async onEvaluated(@Payload() event: Event<typeof TOPICS.modelEvaluated>, @Ctx() context: EventContext): Promise<void> {
      const evaluated = event.payload;
      if (!evaluated.verdict.passed) {
        this.logger.info({ versionId: evaluated.modelVersionId, reasons: evaluated.verdict.reasons }, 'evaluation failed: not safety-testing');
        return;
      }
      const { tested, approved } = await this.service.test(evaluated);
      const model = approved?.model ?? evaluated.modelVersionId.slice(0, evaluated.modelVersionId.lastIndexOf('@'));
      const lineage = { modelVersionId: tested.modelVersionId };
      context.emit(TOPICS.modelSafetyTested, tested, { key: model, lineage });
      if (approved) context.emit(TOPICS.modelApproved, approved, { key: model, lineage });
    }
  }
  return ModelEvaluatedConsumer;
}
