/**
 * Typed configuration: one zod schema per service, parsed once at boot from the
 * environment it is given. Boot fails fast with every problem listed, not the first one.
 */
import { ConfigError } from '@crucible/contracts';
import { z } from 'zod';

export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.filter((p): p is string | number => typeof p !== 'symbol'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1));

/** Settings shared by every service; each service extends this with its own. */
export const BaseConfigSchema = z.object({
  /** `embedded` runs the bus in-process on SQLite; `kafka` talks to a real cluster. */
  CRUCIBLE_BUS: z.enum(['embedded', 'kafka']).default('embedded'),
  /** Artifacts, the embedded bus log and metadata live here. */
  CRUCIBLE_DATA_DIR: z.string().default('.crucible'),
  KAFKA_BROKERS: list.optional(),
  KAFKA_CLIENT_ID: z.string().default('crucible'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  KAFKA_SSL: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Replica identity (pod name in Kubernetes): keeps Kafka transactional ids stable across restarts. */
  CRUCIBLE_INSTANCE_ID: z.string().optional(),
  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});
export type BaseConfig = z.output<typeof BaseConfigSchema>;

/** Cross-field rules of the base schema; services call this on their extended schema. */
export const withBusRules = <S extends z.ZodType<BaseConfig>>(schema: S) =>
  schema.superRefine((config, ctx) => {
    if (config.CRUCIBLE_BUS === 'kafka' && !config.KAFKA_BROKERS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'required when CRUCIBLE_BUS=kafka' });
    }
    if (config.KAFKA_SASL_MECHANISM && !(config.KAFKA_SASL_USERNAME && config.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_SASL_USERNAME'], message: 'SASL needs a username and a password' });
    }
  });
