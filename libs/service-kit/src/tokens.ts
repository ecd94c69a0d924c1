/** Injection tokens for what the platform module provides to every service. */
export const EVENT_BUS = Symbol('crucible.event-bus');
export const SERVICE_CONFIG = Symbol('crucible.config');
export const LOGGER = Symbol('crucible.logger');
export const METRICS = Symbol('crucible.metrics');
export const READINESS = Symbol('crucible.readiness');
