/**
 * The operator's bus consumers: thin translations from topics to the handlers. Verdicts are
 * consumed under a per-replica group so every replica (the leader among them) sees all of
 * them; the rest under the shared operator group.
 */
import { type Event, TOPICS } from '@crucible/contracts';
import { Consume } from '@crucible/service-kit';
import { Controller, Inject, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { VerdictStore } from '../model-deployment/rollout-ports';
import type { ModelApprovedHandler } from './model-approved.handler';
import type { TrainingProgressHandler } from './training-progress.handler';

export const OPERATOR_GROUP = 'crucible.operator';
export const MODEL_APPROVED_HANDLER = Symbol('ModelApprovedHandler');
export const TRAINING_PROGRESS_HANDLER = Symbol('TrainingProgressHandler');
export const VERDICT_STORE = Symbol('VerdictStore');

export function operatorConsumersFor(identity: string): Type<unknown> {
  const replicaGroup = `${OPERATOR_GROUP}.${identity}`;

  @Controller()
  class OperatorBusController {
    constructor(
      @Inject(MODEL_APPROVED_HANDLER) private readonly approved: ModelApprovedHandler,
      @Inject(TRAINING_PROGRESS_HANDLER) private readonly training: TrainingProgressHandler,
      @Inject(VERDICT_STORE) private readonly verdicts: VerdictStore,
    ) {}

    @Consume(TOPICS.modelApproved, OPERATOR_GROUP)
    async onApproved(@Payload() e: Event<typeof TOPICS.modelApproved>): Promise<void> {
      await this.approved.handle(e.payload);
    }

    @Consume(TOPICS.trainingProgressed, OPERATOR_GROUP)
    onProgressed(@Payload() e: Event<typeof TOPICS.trainingProgressed>): Promise<void> {
      return this.training.progressed(e.payload);
    }

    @Consume(TOPICS.trainingCheckpointed, OPERATOR_GROUP)
    onCheckpointed(@Payload() e: Event<typeof TOPICS.trainingCheckpointed>): Promise<void> {
      return this.training.checkpointed(e.payload);
    }

    @Consume(TOPICS.modelTrained, OPERATOR_GROUP)
    onTrained(@Payload() e: Event<typeof TOPICS.modelTrained>): Promise<void> {
      return this.training.trained(e.payload);
    }

    @Consume(TOPICS.modelEvaluated, replicaGroup)
    async onEvaluated(@Payload() e: Event<typeof TOPICS.modelEvaluated>): Promise<void> {
      this.verdicts.record(e.payload.modelVersionId, 'evaluation', e.payload.verdict.passed);
    }

    @Consume(TOPICS.modelSafetyTested, replicaGroup)
    async onSafetyTested(@Payload() e: Event<typeof TOPICS.modelSafetyTested>): Promise<void> {
      this.verdicts.record(e.payload.modelVersionId, 'safety', e.payload.verdict.passed);
    }
  }
  return OperatorBusController;
}
