/** The tokenization service's configuration: the only file that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const TokenizationServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** YAML or JSON with the `tokenization:` settings (dataset, tokenizer, autoSeal, …); defaults otherwise. */
    TOKENIZATION_CONFIG_FILE: z.string().optional(),
    /** Overrides `dataset` of the config file: where documents without a `dataset` metadata field go. */
    TOKENIZATION_DATASET: z.string().min(1).optional(),
    /** Consumer group of `documents.cleaned` (seal requests: `<group>.seal`); a second deployment sets its own. */
    TOKENIZATION_CONSUMER_GROUP: z.string().min(1).default('crucible.tokenization'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8083),
  }),
);
export type TokenizationServiceConfig = z.output<typeof TokenizationServiceConfigSchema>;

export const loadTokenizationServiceConfig = (env: Record<string, string | undefined> = process.env) =>
  parseConfig(TokenizationServiceConfigSchema, env);
