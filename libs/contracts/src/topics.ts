/**
 * Every Kafka topic of the Crucible event flow (docs/architecture.md), named
 * `crucible.<noun>.<past-tense-verb>.v<N>`. A topic's schema changes incompatibly only
 * by minting a new version suffix, so old consumers keep reading the old topic.
 */
export const TOPICS = {
  documentsReceived: 'crucible.documents.received.v1',
  documentsIngested: 'crucible.documents.ingested.v1',
  documentsCleaned: 'crucible.documents.cleaned.v1',
  documentsRejected: 'crucible.documents.rejected.v1',
  datasetSealRequested: 'crucible.dataset-seal.requested.v1',
  datasetsSealed: 'crucible.datasets.sealed.v1',
  trainingRequested: 'crucible.training.requested.v1',
  trainingProgressed: 'crucible.training.progressed.v1',
  trainingCheckpointed: 'crucible.training.checkpointed.v1',
  trainingFailed: 'crucible.training.failed.v1',
  trainingCancellationRequested: 'crucible.training-cancellation.requested.v1',
  modelTrained: 'crucible.model.trained.v1',
  modelEvaluated: 'crucible.model.evaluated.v1',
  modelSafetyTested: 'crucible.model.safety-tested.v1',
  modelApproved: 'crucible.model.approved.v1',
  rolloutStarted: 'crucible.rollout.started.v1',
  rolloutPromoted: 'crucible.rollout.promoted.v1',
  rolloutRolledBack: 'crucible.rollout.rolled-back.v1',
  servingFeedback: 'crucible.serving.feedback.v1',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type Topic = (typeof TOPICS)[TopicKey];

const DLQ_SUFFIX = '.dlq';

/** The dead-letter topic of `topic`: where records that fail validation or keep failing go. */
export const dlqTopic = (topic: string): string => `${topic}${DLQ_SUFFIX}`;
export const isDlqTopic = (topic: string): boolean => topic.endsWith(DLQ_SUFFIX);

export const DATA_TOPICS: readonly Topic[] = Object.freeze(Object.values(TOPICS));

/** Every topic a deployment must create: the data topics and their dead-letter topics. */
export const ALL_TOPICS: readonly string[] = Object.freeze([...DATA_TOPICS, ...DATA_TOPICS.map(dlqTopic)]);

const TOPIC_NAME = /^crucible\.[a-z][a-z-]*\.[a-z][a-z-]*\.v[1-9][0-9]*(\.dlq)?$/;
export const isWellFormedTopicName = (name: string): boolean => TOPIC_NAME.test(name);
