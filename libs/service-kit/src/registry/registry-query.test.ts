// The query API over real HTTP: a Nest app listening on a port, fetch() against it, a SQLite
// registry filled through its public API.
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { openRegistry, type Registry } from '@crucible/registry';
import { seedRegistry, tickingClock } from '@crucible/registry/testing';
import { Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, Metrics, PlatformModule, runService, type RunningService } from '../index';
import { RegistryQueryModule } from './registry-query.module';

describe('RegistryQueryModule', () => {
  let registry: Registry;
  let service: RunningService;
  const get = async (path: string) => {
    const response = await fetch(`${service.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    registry = await openRegistry('sqlite::memory:', { now: tickingClock() });
    await seedRegistry(registry);
    const logger = createLogger('registry-query-test', 'silent');
    const bus = new EventBus(new EmbeddedBus({ path: ':memory:', idlePollMs: 20 }), 'test');
    @Module({
      imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('rq') }), RegistryQueryModule.forRoot(registry)],
    })
    class App {}
    service = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await service?.stop();
    await registry?.close();
  });

  it('lists models with aliases and the latest verdicts', async () => {
    const { status, body } = await get('/v1/registry/models');
    expect(status).toBe(200);
    expect(body.models).toEqual([
      expect.objectContaining({
        name: 'sotu',
        versions: 3,
        latest: 'sotu@3',
        aliases: { champion: 'sotu@2', challenger: 'sotu@3' },
        latestVerdicts: { evaluation: expect.objectContaining({ passed: true }), safety: expect.objectContaining({ passed: false }) },
      }),
    ]);
  });

  it.each([
    ['sotu', 'sotu@2'],
    ['sotu:challenger', 'sotu@3'],
    [encodeURIComponent('sotu:challenger'), 'sotu@3'],
    ['sotu@1', 'sotu@1'],
  ])('serves %s as %s with lineage, aliases and reports', async (ref, id) => {
    const { status, body } = await get(`/v1/registry/models/${ref}`);
    expect(status).toBe(200);
    expect(body.version).toMatchObject({ id, model: 'sotu', datasetId: 'ds-sotu', tokenizerId: 'tok-sotu-512', codeVersion: 'abc1234' });
    expect(body.modelAliases).toEqual({ champion: 'sotu@2', challenger: 'sotu@3' });
    expect(Object.keys(body.reports as object)).toEqual(id === 'sotu@1' ? [] : ['evaluation', 'safety']);
  });

  it('answers 404 for references that resolve to nothing and 400 for malformed ones, saying which', async () => {
    expect(await get('/v1/registry/models/sotu@9')).toMatchObject({ status: 404, body: { message: "no model version matches 'sotu@9'" } });
    expect(await get('/v1/registry/models/ghost:champion')).toMatchObject({ status: 404, body: { message: "no model version matches 'ghost:champion'" } });
    const bad = await get('/v1/registry/models/sotu@0');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('version numbers start at 1');
  });

  it('lists runs newest first, filtered, and serves one run with its progress', async () => {
    const all = await get('/v1/registry/runs');
    expect((all.body.runs as { runId: string }[]).map((r) => r.runId)).toEqual(['run-5', 'run-4', 'run-3', 'run-2', 'run-1']);
    const failed = await get('/v1/registry/runs?status=failed&limit=5');
    expect(failed.body.runs).toEqual([expect.objectContaining({ runId: 'run-4', error: 'loss diverged at step 5 (NaN)' })]);
    const one = await get('/v1/registry/runs/run-1');
    expect(one.body.run).toMatchObject({ runId: 'run-1', status: 'succeeded', modelVersionId: 'sotu@1' });
    expect((one.body.progress as { step: number }[]).map((p) => p.step)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
  });

  it('rejects bad run queries with 400 and unknown runs with 404', async () => {
    expect(await get('/v1/registry/runs?status=done')).toMatchObject({ status: 400, body: { message: expect.stringContaining("got 'done'") } });
    expect(await get('/v1/registry/runs?limit=0')).toMatchObject({ status: 400, body: { message: expect.stringContaining('limit must be') } });
    expect(await get('/v1/registry/runs/ghost')).toMatchObject({ status: 404, body: { message: "no training run 'ghost'" } });
  });
});
