/** The cleaning service's configuration: the only file that reads `process.env`. */
import { BaseConfigSchema, parseConfig, withBusRules } from '@crucible/service-kit';
import { z } from 'zod';

export const CleaningServiceConfigSchema = withBusRules(
  BaseConfigSchema.extend({
    /** YAML or JSON file with filter thresholds (the `cleaning:` block of crucible.yaml); defaults otherwise. */
    CLEANING_CONFIG_FILE: z.string().optional(),
    /** The persisted MinHash/exact dedup index; defaults to `<data dir>/cleaning/dedup.sqlite`. */
    DEDUP_INDEX_PATH: z.string().optional(),
    HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8082),
  }),
);
export type CleaningServiceConfig = z.output<typeof CleaningServiceConfigSchema>;

export const loadCleaningServiceConfig = (env: Record<string, string | undefined> = process.env) =>
  parseConfig(CleaningServiceConfigSchema, env);
