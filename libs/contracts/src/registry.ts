/** Which payload schema each topic carries: the single place a consumer looks it up. */
import type { z } from 'zod';
import { TOPICS, type Topic } from './topics';
import * as datasets from './payloads/datasets';
import * as documents from './payloads/documents';
import * as model from './payloads/model';
import * as rollout from './payloads/rollout';
import * as serving from './payloads/serving';
import * as training from './payloads/training';

export const PAYLOAD_SCHEMAS = {
  [TOPICS.documentsReceived]: documents.DocumentReceivedSchema,
  [TOPICS.documentsIngested]: documents.DocumentIngestedSchema,
  [TOPICS.documentsCleaned]: documents.DocumentCleanedSchema,
  [TOPICS.documentsRejected]: documents.DocumentRejectedSchema,
  [TOPICS.datasetSealRequested]: datasets.DatasetSealRequestedSchema,
  [TOPICS.datasetsSealed]: datasets.DatasetSealedSchema,
  [TOPICS.trainingRequested]: training.TrainingRequestedSchema,
  [TOPICS.trainingProgressed]: training.TrainingProgressedSchema,
  [TOPICS.trainingCheckpointed]: training.TrainingCheckpointedSchema,
  [TOPICS.trainingFailed]: training.TrainingFailedSchema,
  [TOPICS.trainingCancellationRequested]: training.TrainingCancellationRequestedSchema,
  [TOPICS.modelTrained]: model.ModelTrainedSchema,
  [TOPICS.modelEvaluated]: model.ModelEvaluatedSchema,
  [TOPICS.modelSafetyTested]: model.ModelSafetyTestedSchema,
  [TOPICS.modelApproved]: model.ModelApprovedSchema,
  [TOPICS.rolloutStarted]: rollout.RolloutStartedSchema,
  [TOPICS.rolloutPromoted]: rollout.RolloutPromotedSchema,
  [TOPICS.rolloutRolledBack]: rollout.RolloutRolledBackSchema,
  [TOPICS.servingFeedback]: serving.ServingFeedbackSchema,
} as const satisfies Record<Topic, z.ZodType>;

export type PayloadSchemas = typeof PAYLOAD_SCHEMAS;
/** The parsed payload type of a topic, e.g. `PayloadOf<'crucible.documents.cleaned.v1'>`. */
export type PayloadOf<T extends Topic> = z.output<PayloadSchemas[T]>;
/** What a producer may pass (defaults not yet applied). */
export type PayloadInputOf<T extends Topic> = z.input<PayloadSchemas[T]>;
