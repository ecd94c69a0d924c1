/**
 * The operator's bus consumers: thin translations from topics to the handlers. One consumer
 * group per topic (`crucible.operator.<topic>`): kafkajs's assigner expects every member of a
 * group to subscribe to the same topics. Verdicts are consumed under per-replica groups so
 * every replica (the leader among them) sees all of them.
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
  const group = (topic: string) => `${OPERATOR_GROUP}.${topic}`;
  const replicaGroup = (topic: string) => `${OPERATOR_GROUP}.${topic}.${identity}`;

  @Controller()
  class OperatorBusController {
    constructor(
      @Inject(MODEL_APPROVED_HANDLER) private readonly approved: ModelApprovedHandler,
      @Inject(TRAINING_PROGRESS_HANDLER) private readonly training: TrainingProgressHandler,
      @Inject(VERDICT_STORE) private readonly verdicts: VerdictStore,
    ) {}

    @Consume(TOPICS.modelApproved, group('model-approved'))
    async onApproved(@Payload() e: Event<typeof TOPICS.modelApproved>): Promise<void> {
      await this.approved.handle(e.payload);
    }

    @Consume(TOPICS.trainingProgressed, group('training-progressed'))
    onProgressed(@Payload() e: Event<typeof TOPICS.trainingProgressed>): Promise<void> {
      return this.training.progressed(e.payload);
    }

    @Consume(TOPICS.trainingCheckpointed, group('training-checkpointed'))
    onCheckpointed(@Payload() e: Event<typeof TOPICS.trainingCheckpointed>): Promise<void> {
      return this.training.checkpointed(e.payload);
    }

    @Consume(TOPICS.modelTrained, group('model-trained'))
    onTrained(@Payload() e: Event<typeof TOPICS.modelTrained>): Promise<void> {
      return this.training.trained(e.payload);
    }

    @Consume(TOPICS.modelEvaluated, replicaGroup('model-evaluated'))
    async onEvaluated(@Payload() e: Event<typeof TOPICS.modelEvaluated>): Promise<void> {
      this.verdicts.record(e.payload.modelVersionId, 'evaluation', e.payload.verdict.passed);
    }

    @Consume(TOPICS.modelSafetyTested, replicaGroup('model-safety-tested'))
    async onSafetyTested(@Payload() e: Event<typeof TOPICS.modelSafetyTested>): Promise<void> {
      this.verdicts.record(e.payload.modelVersionId, 'safety', e.payload.verdict.passed);
    }
  }
  return OperatorBusController;
}
