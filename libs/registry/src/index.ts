/**
 * @crucible/registry — the metadata store: training runs and progress, immutable model
 * versions with lineage, movable aliases with history, evaluation and safety reports.
 */
export { openRegistry } from './open-registry';
export type { Registry, OpenRegistryOptions } from './open-registry';
export { registryUrlFrom, parseRegistryUrl, redactRegistryUrl, REGISTRY_URL_ENV, DEFAULT_POSTGRES_SCHEMA } from './registry-url';
export type { RegistryLocation } from './registry-url';
export { parseModelReference, versionId, DEFAULT_ALIAS } from './model-reference';
export type { ModelReference } from './model-reference';
export { RegistryError } from './registry.errors';
export type { RegistryErrorCode } from './registry.errors';
export type { Dialect } from './codec';
export type { RunsRepository } from './runs.repository';
export type { ModelsRepository } from './models.repository';
export type { ReportsRepository } from './reports.repository';
export * from './registry.types';
export { modelOverview, versionDetails } from './registry-views';
export type { ModelOverview, VersionDetails } from './registry-views';
