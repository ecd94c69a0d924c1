/** The safety service's configuration: the only file that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const SafetyServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** YAML or JSON with the safety settings (gate, bias, trainingData, …); the variables below override it. */
    SAFETY_CONFIG_FILE: z.string().optional(),
    /** A folder of custom probe sets (*.yaml, *.yml, *.json) added to the bundled ones. */
    SAFETY_PROBES_DIR: z.string().min(1).optional(),
    /** Registry URL (`sqlite:<path>` or `postgres://…`); default `sqlite:<CRUCIBLE_DATA_DIR>/registry.db`. */
    CRUCIBLE_REGISTRY_URL: z.string().min(1).optional(),
    SAFETY_BATCH_SIZE: z.coerce.number().int().positive().optional(),
    SAFETY_MAX_TOKENS: z.coerce.number().int().positive().optional(),
    SAFETY_SEED: z.coerce.number().int().optional(),
    /** Allowed failure rate of every adversarial suite (0..1). */
    SAFETY_MAX_ADVERSARIAL_FAILURE_RATE: z.coerce.number().min(0).max(1).optional(),
    /** Allowed failure rate of the bias suite (0..1); 1 = reported, not gating. */
    SAFETY_MAX_BIAS_FAILURE_RATE: z.coerce.number().min(0).max(1).optional(),
    /** Allowed failure rate of the long-context suite (0..1); 1 = reported, not gating. */
    SAFETY_MAX_LONG_CONTEXT_FAILURE_RATE: z.coerce.number().min(0).max(1).optional(),
    SAFETY_TRAINING_DATA_SAMPLES: z.coerce.number().int().min(0).optional(),
    SAFETY_CONSUMER_GROUP: z.string().min(1).default('crucible.safety'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8086),
  }),
);
export type SafetyServiceConfig = z.output<typeof SafetyServiceConfigSchema>;

export const loadSafetyServiceConfig = (env: Record<string, string | undefined> = process.env) => parseConfig(SafetyServiceConfigSchema, env);
