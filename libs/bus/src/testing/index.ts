export { busConformance, type ConformanceFixture } from './bus-conformance';
export { TopicProbe, type TopicProbeOptions, type RawRecord, brokers, groupAtEnd } from './topic-probe';
