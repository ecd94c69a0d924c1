// Round trip through the real PostgreSQL that infra/postgres/up starts (or DATABASE_URL).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePostgres } from './postgres';

describe('PostgreSQL (real server)', () => {
  let client: pg.Client;
  const table = `infra_testing_roundtrip_${process.pid}_${Date.now().toString(36)}`;

  beforeAll(async () => {
    const { dsn } = await ensurePostgres();
    client = new pg.Client({ connectionString: dsn });
    await client.connect();
  }, 10 * 60_000);

  afterAll(async () => {
    await client?.query(`DROP TABLE IF EXISTS ${table}`);
    await client?.end();
  });

  it('creates a table, inserts rows and reads the same values back', async () => {
    await client.query(
      `CREATE TABLE ${table} (id serial PRIMARY KEY, name text NOT NULL, tags jsonb NOT NULL, created_at timestamptz NOT NULL)`,
    );
    const createdAt = new Date('2025-01-02T03:04:05.678Z');
    await client.query(`INSERT INTO ${table} (name, tags, created_at) VALUES ($1, $2, $3), ($4, $5, $3)`, [
      'tokenizer',
      JSON.stringify({ stage: 'tokenization', shards: 4 }),
      createdAt,
      'évaluation ✓',
      JSON.stringify({ stage: 'evaluation', gate: true }),
    ]);

    const { rows } = await client.query<{ id: number; name: string; tags: unknown; created_at: Date }>(
      `SELECT id, name, tags, created_at FROM ${table} ORDER BY id`,
    );

    expect(rows).toEqual([
      { id: 1, name: 'tokenizer', tags: { stage: 'tokenization', shards: 4 }, created_at: createdAt },
      { id: 2, name: 'évaluation ✓', tags: { stage: 'evaluation', gate: true }, created_at: createdAt },
    ]);
  });

  it('connects as the crucible role to the crucible database over TCP', async () => {
    const { rows } = await client.query<{ user: string; db: string; encoding: string }>(
      `SELECT current_user AS user, current_database() AS db, pg_encoding_to_char(encoding) AS encoding
         FROM pg_database WHERE datname = current_database()`,
    );
    expect(rows[0]).toMatchObject({ encoding: 'UTF8' });
    if (!process.env.DATABASE_URL) expect(rows[0]).toMatchObject({ user: 'crucible', db: 'crucible' });
  });
});
