// The shared behavioural suite against the real PostgreSQL that infra/postgres/up starts
// (the integration globalSetup exports DATABASE_URL), each test in a schema of its own.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistry } from './open-registry';
import { versionInput } from './testing';
import { registryBehaviour } from './testing/registry-behaviour';

const dsn = (): string => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run through the integration project (its globalSetup starts PostgreSQL)');
  return url;
};

const withSchema = (schema: string): string => {
  const url = new URL(dsn());
  url.searchParams.set('schema', schema);
  return url.toString();
};

describe('registry on PostgreSQL', () => {
  let admin: pg.Client;
  let counter = 0;
  const run = `${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: dsn() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
  });

  registryBehaviour({
    freshUrl: async () => withSchema(`registry_test_${run}_${(counter += 1)}`),
    cleanup: async (url) => {
      const schema = new URL(url).searchParams.get('schema');
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  });

  it('stores JSON as jsonb and timestamps as timestamptz, in the schema the URL names', async () => {
    const schema = `registry_test_${run}_types`;
    const registry = await openRegistry(withSchema(schema));
    try {
      await registry.runs.create({ runId: 'r1', model: 'sotu', datasetId: 'd', request: { preset: 'tiny' } });
      const { rows } = await admin.query<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = 'runs' AND column_name IN ('request', 'created_at') ORDER BY column_name`,
        [schema],
      );
      expect(rows).toEqual([
        { column_name: 'created_at', data_type: 'timestamp with time zone' },
        { column_name: 'request', data_type: 'jsonb' },
      ]);
      const stored = await admin.query(`SELECT request->>'preset' AS preset FROM ${schema}.runs WHERE run_id = 'r1'`);
      expect(stored.rows).toEqual([{ preset: 'tiny' }]);
    } finally {
      await registry.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('lets several processes open a fresh schema at once: one applies the migrations, all work', async () => {
    const schema = `registry_test_${run}_race`;
    const opened = await Promise.all(Array.from({ length: 4 }, () => openRegistry(withSchema(schema))));
    try {
      expect(opened.map((r) => r.migrationsApplied.length).sort()).toEqual([0, 0, 0, 1]);
      const versions = await Promise.all(opened.map((r, i) => r.models.registerVersion({ ...versionInput('sotu', `run-${i}`) })));
      expect(versions.map((v) => v.n).sort()).toEqual([1, 2, 3, 4]);
    } finally {
      for (const r of opened) await r.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  });

  it('fails with a retriable TransportUnavailableError when the server is unreachable', async () => {
    const error = await openRegistry('postgres://crucible:crucible@127.0.0.1:1/crucible').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'transport_unavailable', retriable: true });
    expect(String((error as Error).message)).toContain('crucible:***@127.0.0.1:1');
  });
});
