/**
 * Test helpers usable anywhere (vitest, scripts, demos): realistic fixtures and a seeded
 * history. The behavioural suite imports vitest, so it has its own entry:
 * `@crucible/registry/testing/behaviour`.
 */
export { seedRegistry, type SeededRegistry } from './seed-registry';
export { tickingClock, versionInput, progressAt, evaluationReport, safetyReport } from './fixtures';
