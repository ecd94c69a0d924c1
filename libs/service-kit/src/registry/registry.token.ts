/** Injection token of the opened `Registry` the query API reads. */
export const REGISTRY = Symbol('crucible.registry');
