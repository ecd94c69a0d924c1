export * from './bus';
export * from './retry-policy';
export { deliver, deadLetterRecord, type DeliveryOutcome, type PendingPublish } from './deliver';
export { partitionFor } from './partitioner';
export { EmbeddedBus, UnknownTopicError, type EmbeddedBusOptions } from './embedded/embedded-bus';
export { KafkaBus, type KafkaBusOptions } from './kafka/kafka-bus';
export * from './event-bus';
