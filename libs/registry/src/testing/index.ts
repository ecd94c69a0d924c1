/** Test helpers: the shared behavioural suite both dialects run, and realistic fixtures. */
export { registryBehaviour, type RegistryFixture } from './registry-behaviour';
export { seedRegistry, type SeededRegistry } from './seed-registry';
export { tickingClock, versionInput, progressAt, evaluationReport, safetyReport } from './fixtures';
