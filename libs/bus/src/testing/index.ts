export { busConformance, type ConformanceFixture } from './bus-conformance';
