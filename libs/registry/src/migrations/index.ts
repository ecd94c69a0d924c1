/**
 * Versioned migrations, defined in code and applied in name order on every open. Kysely's
 * Migrator records applied names in `kysely_migration` and takes a lock, so two processes
 * opening the same database at once apply each migration exactly once.
 * Add a migration: a new file `NNNN-what.ts` and one line below; never edit an applied one.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Codec } from '../codec';
import { RegistryError } from '../registry.errors';
import { initialSchema } from './0001-initial';

export const registryMigrations = (codec: Codec): Record<string, Migration> => ({
  '0001-initial': initialSchema(codec),
});

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.migrations);
  }
}

/**
 * Applies pending migrations; returns the names applied now (empty when up to date).
 * In PostgreSQL the bookkeeping tables are pinned to the registry's schema: left unqualified,
 * Kysely's existence check would find another schema's `kysely_migration` and skip creating ours.
 */
export async function migrateToLatest(db: Kysely<unknown>, codec: Codec, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new InCodeMigrations(registryMigrations(codec)),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new RegistryError('migration_failed', `registry migration '${failed}' failed: ${String(error)}`, true);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
