/**
 * Test helpers usable anywhere (vitest, scripts, demos): realistic fixtures, a seeded
 * history, a registry in a PostgreSQL schema of its own. The behavioural suite imports
 * vitest, so it has its own entry: `@crucible/registry/testing/behaviour`.
 */
export { seedRegistry, type SeededRegistry } from './seed-registry';
export { openRegistryInSchema, type RegistryInSchema } from './registry-in-schema';
export { tickingClock, versionInput, progressAt, evaluationReport, safetyReport } from './fixtures';
