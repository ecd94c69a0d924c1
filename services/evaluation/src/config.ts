/** The evaluation service's configuration: the only file that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

const optionalNumber = z.coerce.number().positive().optional();

export const EvaluationServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** YAML or JSON with the evaluation settings (gate, perplexity, tasks); the variables below override it. */
    EVALUATION_CONFIG_FILE: z.string().optional(),
    /** A folder of task files (*.yaml, *.yml) evaluated on every model; default: the bundled tasks. */
    EVALUATION_TASKS_DIR: z.string().min(1).optional(),
    /** Registry URL (`sqlite:<path>` or `postgres://…`); default `sqlite:<CRUCIBLE_DATA_DIR>/registry.db`. */
    CRUCIBLE_REGISTRY_URL: z.string().min(1).optional(),
    EVALUATION_MAX_PERPLEXITY: optionalNumber,
    EVALUATION_MAX_BITS_PER_BYTE: optionalNumber,
    EVALUATION_MIN_BLEU: z.coerce.number().min(0).optional(),
    /** Allowed relative regression against the champion, e.g. 0.02 = 2 %. */
    EVALUATION_MAX_REGRESSION: z.coerce.number().min(0).optional(),
    /** Held-out tokens scored at most (bounds evaluation time on large validation splits). */
    EVALUATION_MAX_HELD_OUT_TOKENS: z.coerce.number().int().positive().optional(),
    EVALUATION_CONSUMER_GROUP: z.string().min(1).default('crucible.evaluation'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8085),
  }),
);
export type EvaluationServiceConfig = z.output<typeof EvaluationServiceConfigSchema>;

export const loadEvaluationServiceConfig = (env: Record<string, string | undefined> = process.env) =>
  parseConfig(EvaluationServiceConfigSchema, env);
