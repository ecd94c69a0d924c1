/**
 * A registry of its own on the real PostgreSQL that infra/postgres starts, for one test run:
 * a schema named by the caller, migrated on open and dropped by `drop()`.
 */
import pg from 'pg';
import { openRegistry, type Registry } from '../open-registry';

/** The integration database: DATABASE_URL (set by the integration globalSetup) or infra/postgres's default. */
export const databaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://crucible:crucible@127.0.0.1:15432/crucible';

export interface RegistryInSchema {
  readonly registry: Registry;
  /** Closes the registry and drops its schema with everything in it. */
  drop(): Promise<void>;
}

/**
 * @example
 * const { registry, drop } = await openRegistryInSchema(`evaluation_it_${run}`);
 * cleanup.push(drop);
 */
export async function openRegistryInSchema(schema: string, url: string = databaseUrl()): Promise<RegistryInSchema> {
  const inSchema = new URL(url);
  inSchema.searchParams.set('schema', schema);
  const registry = await openRegistry(inSchema.toString());
  return {
    registry,
    drop: async () => {
      await registry.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
