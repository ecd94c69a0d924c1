/** The CLI's environment: the only file of the CLI that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const CliConfigSchema = withBusRules(BaseConfigSchema.extend({ LOG_LEVEL: BaseConfigSchema.shape.LOG_LEVEL.default('warn') }));
export type CliConfig = z.output<typeof CliConfigSchema>;

export const loadCliConfig = (): CliConfig => parseConfig(CliConfigSchema, process.env);
