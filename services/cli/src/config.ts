/** The CLI's environment: the only file of the CLI that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const CliConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    LOG_LEVEL: BaseConfigSchema.shape.LOG_LEVEL.default('warn'),
    /** The metadata store; unset means the project's `sqlite:<dataDir>/registry.db`. */
    CRUCIBLE_REGISTRY_URL: z.string().min(1).optional(),
  }),
);
export type CliConfig = z.output<typeof CliConfigSchema>;

export const loadCliConfig = (): CliConfig => parseConfig(CliConfigSchema, process.env);
