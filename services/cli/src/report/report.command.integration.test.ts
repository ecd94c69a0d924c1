// `crucible models` and `crucible report` against the real PostgreSQL (DATABASE_URL from the
// integration globalSetup), in a schema of their own: the same commands, the other dialect.
import { openRegistry } from '@crucible/registry';
import { seedRegistry } from '@crucible/registry/testing';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../../../../scripts/crucible.cjs');

const run = (args: string[], registryUrl: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CRUCIBLE_REGISTRY_URL: registryUrl }, timeout: 90_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('registry commands on PostgreSQL', () => {
  const schema = `cli_registry_test_${process.pid}_${Date.now().toString(36)}`;
  let url: string;

  beforeAll(async () => {
    const dsn = process.env.DATABASE_URL;
    if (!dsn) throw new Error('DATABASE_URL is not set: run through the integration project');
    const parsed = new URL(dsn);
    parsed.searchParams.set('schema', schema);
    url = parsed.toString();
    const registry = await openRegistry(url);
    await seedRegistry(registry);
    await registry.close();
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('lists models and reports the challenger from CRUCIBLE_REGISTRY_URL=postgres://…', async () => {
    const models = await run(['models', '--json'], url);
    expect(models.code).toBe(0);
    expect(JSON.parse(models.stdout)).toEqual([
      expect.objectContaining({ name: 'sotu', versions: 3, latest: 'sotu@3', aliases: { champion: 'sotu@2', challenger: 'sotu@3' } }),
    ]);
    const report = await run(['report', 'sotu:challenger'], url);
    expect(report.stderr).toBe('');
    expect(report.stdout).toMatch(/^sotu@3 {2}\(challenger\)/);
    expect(report.stdout).toMatch(/LLM02:2025\s+Sensitive information disclosure\s+12\s+3\s+25\.0%/);
  }, 180_000);
});
