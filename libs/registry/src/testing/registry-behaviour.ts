/**
 * What every dialect must do, written once: run against SQLite in the unit suite and against
 * the real PostgreSQL in the integration suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRegistry, type Registry } from '../open-registry';
import { RegistryError } from '../registry.errors';
import { evaluationReport, progressAt, safetyReport, tickingClock, versionInput } from './fixtures';

export interface RegistryFixture {
  /** A URL of a fresh, empty store, unique to the calling test. */
  freshUrl(): Promise<string>;
  /** Drops what `freshUrl` created. */
  cleanup(url: string): Promise<void>;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

export function registryBehaviour(fixture: RegistryFixture): void {
  let url: string;
  let registry: Registry;
  const extra: Registry[] = [];
  const open = async (): Promise<Registry> => {
    const opened = await openRegistry(url, { now: tickingClock() });
    extra.push(opened);
    return opened;
  };

  beforeEach(async () => {
    url = await fixture.freshUrl();
    registry = await openRegistry(url, { now: tickingClock() });
  });
  afterEach(async () => {
    for (const r of extra.splice(0)) await r.close();
    await registry.close();
    await fixture.cleanup(url);
  });

  describe('migrations', () => {
    it('applies the schema on first open and nothing on the next, keeping the data', async () => {
      expect(registry.migrationsApplied).toEqual(['0001-initial']);
      await registry.runs.create({ runId: 'r1', model: 'sotu', datasetId: 'd', request: {} });
      await registry.close();
      registry = await openRegistry(url);
      expect(registry.migrationsApplied).toEqual([]);
      expect((await registry.runs.get('r1'))?.runId).toBe('r1');
    });
  });

  describe('runs', () => {
    it('creates a queued run once: the same runId again returns the first run unchanged', async () => {
      const first = await registry.runs.create({ runId: 'r1', model: 'sotu', datasetId: 'ds-1', request: { preset: 'tiny', steps: 3 } });
      const again = await registry.runs.create({ runId: 'r1', model: 'other', datasetId: 'ds-2', request: { preset: 'small' } });
      expect(again).toEqual(first);
      expect(first).toMatchObject({ runId: 'r1', model: 'sotu', datasetId: 'ds-1', status: 'queued', step: 0, attempt: 1, request: { preset: 'tiny', steps: 3 } });
      expect(first.createdAt).toMatch(ISO);
      expect(await registry.runs.get('nope')).toBeUndefined();
    });

    it('lists newest first, filtered by status and limited', async () => {
      for (const runId of ['a', 'b', 'c']) await registry.runs.create({ runId, model: 'sotu', datasetId: 'd', request: {} });
      await registry.runs.update('b', { status: 'running' });
      expect((await registry.runs.list()).map((r) => r.runId)).toEqual(['c', 'b', 'a']);
      expect((await registry.runs.list({ status: 'running' })).map((r) => r.runId)).toEqual(['b']);
      expect((await registry.runs.list({ limit: 2 })).map((r) => r.runId)).toEqual(['c', 'b']);
    });

    it('stamps start and finish, and keeps a terminal run terminal unless a new attempt begins', async () => {
      await registry.runs.create({ runId: 'r1', model: 'sotu', datasetId: 'd', request: {} });
      const running = await registry.runs.update('r1', { status: 'running', step: 3 });
      expect(running.startedAt).toMatch(ISO);
      expect(running.finishedAt).toBeNull();
      const done = await registry.runs.update('r1', { status: 'succeeded', finalLoss: 1.5, modelVersionId: 'sotu@1' });
      expect(done).toMatchObject({ status: 'succeeded', finalLoss: 1.5, modelVersionId: 'sotu@1', step: 3 });
      expect(done.finishedAt).toMatch(ISO);

      const late = await registry.runs.update('r1', { status: 'running' });
      expect(late.status).toBe('succeeded');
      expect(late.startedAt).toBe(running.startedAt);

      const retried = await registry.runs.update('r1', { status: 'running', attempt: 2 });
      expect(retried).toMatchObject({ status: 'running', attempt: 2, finishedAt: null });
      expect(retried.startedAt).not.toBe(running.startedAt);
    });

    it('rejects updates and progress of an unknown run with a retriable unknown_run', async () => {
      const error = await rejection(registry.runs.update('ghost', { status: 'running' }));
      expect(error).toMatchObject({ code: 'unknown_run', retriable: true });
      expect((await rejection(registry.runs.appendProgress('ghost', progressAt('ghost', 1)))).code).toBe('unknown_run');
    });

    it('stores progress once per step, ordered by step, and follows the highest step whatever the arrival order', async () => {
      await registry.runs.create({ runId: 'r1', model: 'sotu', datasetId: 'd', request: {} });
      await registry.runs.appendProgress('r1', progressAt('r1', 10));
      await registry.runs.appendProgress('r1', progressAt('r1', 5));
      await registry.runs.appendProgress('r1', progressAt('r1', 10, 40, { loss: 99 }));
      await registry.runs.appendProgress('r1', progressAt('r1', 20, 40, { mfu: 0.12 }));
      const progress = await registry.runs.progress('r1');
      expect(progress.map((p) => [p.step, p.loss])).toEqual([
        [5, progressAt('r1', 5).loss],
        [10, progressAt('r1', 10).loss],
        [20, progressAt('r1', 20).loss],
      ]);
      expect(progress[2]).toMatchObject({ mfu: 0.12, validationLoss: progressAt('r1', 20).validationLoss, runId: 'r1' });
      expect(progress[0]?.recordedAt).toMatch(ISO);
      const run = await registry.runs.get('r1');
      expect(run).toMatchObject({ step: 20, totalSteps: 40, lastLoss: progressAt('r1', 20).loss, lastValidationLoss: progressAt('r1', 20).validationLoss });
    });
  });

  describe('model versions', () => {
    it('reserves a number before the artifact exists and registers it later under the same id', async () => {
      const reserved = await registry.models.nextVersion('sotu', 'run-a');
      expect(reserved).toEqual({ id: 'sotu@1', model: 'sotu', n: 1, runId: 'run-a' });
      expect(await registry.models.nextVersion('sotu', 'run-a')).toEqual(reserved);
      expect(await registry.models.getVersion('sotu@1')).toBeUndefined();
      expect(await registry.models.listModels()).toEqual([]);

      const other = await registry.models.registerVersion(versionInput('sotu', 'run-b'));
      expect(other.id).toBe('sotu@2');
      const version = await registry.models.registerVersion(versionInput('sotu', 'run-a', { artifactPath: '/data/models/sotu/1' }));
      expect(version).toMatchObject({ id: 'sotu@1', n: 1, model: 'sotu', runId: 'run-a', artifactPath: '/data/models/sotu/1', parameters: 212_992, metrics: { finalLoss: 3.21 } });
      expect(version.createdAt).toMatch(ISO);
      expect(await registry.models.getVersion('sotu@1')).toEqual(version);
      expect((await registry.models.listVersions('sotu')).map((v) => v.id)).toEqual(['sotu@1', 'sotu@2']);
    });

    it('is idempotent per run and refuses different lineage for a registered version', async () => {
      const input = versionInput('sotu', 'run-a');
      const first = await registry.models.registerVersion(input);
      const reordered = { ...input, hyperParameters: Object.fromEntries(Object.entries(input.hyperParameters).reverse()) };
      expect(await registry.models.registerVersion(reordered)).toEqual(first);

      const changed = await rejection(registry.models.registerVersion({ ...input, datasetSha256: 'b'.repeat(64), parameters: 1 }));
      expect(changed).toMatchObject({ code: 'version_conflict', retriable: false });
      expect(changed.message).toContain('datasetSha256, parameters');
      const otherModel = await rejection(registry.models.registerVersion(versionInput('gpt', 'run-a')));
      expect(otherModel.code).toBe('version_conflict');
      expect(await registry.models.getVersion('sotu@1')).toEqual(first);
    });

    it('numbers concurrent registrations from two connections 1..n without gaps or duplicates', async () => {
      const second = await open();
      const runs = Array.from({ length: 24 }, (_, i) => `run-${i}`);
      const versions = await Promise.all(
        runs.flatMap((runId, i) => {
          const via = i % 2 === 0 ? registry : second;
          // Every run registers twice at once, as a redelivered event would.
          return [via.models.registerVersion(versionInput('sotu', runId)), second.models.registerVersion(versionInput('sotu', runId))];
        }),
      );
      const byRun = new Map<string, Set<string>>();
      for (const v of versions) byRun.set(v.runId, (byRun.get(v.runId) ?? new Set()).add(v.id));
      expect([...byRun.values()].every((ids) => ids.size === 1)).toBe(true);
      const numbers = [...new Set(versions.map((v) => v.n))].sort((a, b) => a - b);
      expect(numbers).toEqual(runs.map((_, i) => i + 1));
      const counters = await Promise.all([registry.models.nextVersion('other', 'x'), second.models.nextVersion('other', 'y')]);
      expect(counters.map((c) => c.n).sort()).toEqual([1, 2]);
    });

    it('rejects invalid model names and version ids with invalid_reference', async () => {
      expect((await rejection(registry.models.registerVersion(versionInput('bad name', 'r')))).code).toBe('invalid_reference');
      expect((await rejection(registry.models.getVersion('sotu:champion'))).code).toBe('invalid_reference');
      expect((await rejection(registry.models.resolve('sotu@0'))).code).toBe('invalid_reference');
      expect((await rejection(registry.models.resolve('sotu@1@2'))).code).toBe('invalid_reference');
    });
  });

  describe('aliases', () => {
    it('moves aliases, resolves every reference form and keeps who, when and why', async () => {
      const v1 = await registry.models.registerVersion(versionInput('sotu', 'r1'));
      const v2 = await registry.models.registerVersion(versionInput('sotu', 'r2'));
      expect(await registry.models.resolve('sotu')).toBeUndefined();

      const first = await registry.models.setAlias('sotu', 'champion', v1.id, { by: 'alice', reason: 'first release' });
      expect(first).toMatchObject({ fromVersionId: undefined, toVersionId: 'sotu@1', by: 'alice' });
      await registry.models.setAlias('sotu', 'challenger', v2.id, { by: 'serving-gateway', reason: 'canary' });
      expect(await registry.models.setAlias('sotu', 'challenger', v2.id)).toBeUndefined();
      await registry.models.setAlias('sotu', 'champion', v2.id, { by: 'serving-gateway', reason: 'promoted' });

      expect(await registry.models.aliases('sotu')).toEqual({ challenger: 'sotu@2', champion: 'sotu@2' });
      expect((await registry.models.resolve('sotu'))?.id).toBe('sotu@2');
      expect((await registry.models.resolve('sotu:champion'))?.id).toBe('sotu@2');
      expect((await registry.models.resolve('sotu@1'))?.id).toBe('sotu@1');
      expect(await registry.models.resolve('sotu:shadow')).toBeUndefined();
      expect(await registry.models.resolve('ghost')).toBeUndefined();

      const history = await registry.models.aliasHistory('sotu', 'champion');
      expect(history.map((h) => [h.fromVersionId, h.toVersionId, h.by, h.reason])).toEqual([
        [undefined, 'sotu@1', 'alice', 'first release'],
        ['sotu@1', 'sotu@2', 'serving-gateway', 'promoted'],
      ]);
      expect(history[1]?.at).toMatch(ISO);
      expect(await registry.models.aliasHistory('sotu')).toHaveLength(3);
    });

    it('refuses aliases to unknown, reserved or foreign versions', async () => {
      await registry.models.registerVersion(versionInput('sotu', 'r1'));
      await registry.models.registerVersion(versionInput('gpt', 'r2'));
      await registry.models.nextVersion('sotu', 'r3');
      expect((await rejection(registry.models.setAlias('sotu', 'champion', 'sotu@9'))).code).toBe('unknown_model_version');
      expect((await rejection(registry.models.setAlias('sotu', 'champion', 'sotu@2'))).code).toBe('unknown_model_version');
      expect((await rejection(registry.models.setAlias('sotu', 'champion', 'gpt@1'))).code).toBe('invalid_reference');
      expect((await rejection(registry.models.setAlias('sotu', 'Champion!', 'sotu@1'))).code).toBe('invalid_reference');
      expect(await registry.models.aliases('sotu')).toEqual({});
    });

    it('summarises models: registered versions, latest and aliases', async () => {
      for (const runId of ['a', 'b', 'c']) await registry.models.registerVersion(versionInput('sotu', runId));
      await registry.models.registerVersion(versionInput('gpt', 'd'));
      await registry.models.nextVersion('sotu', 'pending');
      await registry.models.setAlias('sotu', 'champion', 'sotu@2');
      expect(await registry.models.listModels()).toEqual([
        { name: 'gpt', versions: 1, latest: 'gpt@1', aliases: {} },
        { name: 'sotu', versions: 3, latest: 'sotu@3', aliases: { champion: 'sotu@2' } },
      ]);
    });
  });

  describe('reports', () => {
    it('keeps history per (version, kind), returns the latest, and ignores an identical save', async () => {
      const v = await registry.models.registerVersion(versionInput('sotu', 'r1'));
      const failed = await registry.reports.save(evaluationReport(v.id, false));
      expect(await registry.reports.save(evaluationReport(v.id, false))).toEqual(failed);
      const passed = await registry.reports.save(evaluationReport(v.id, true));
      await registry.reports.save(safetyReport(v.id, true));
      // A redelivered older report must not become the latest again.
      await registry.reports.save(evaluationReport(v.id, false));

      expect(failed).toMatchObject({ sequence: 1, verdict: { passed: false } });
      expect(passed).toMatchObject({ sequence: 2, verdict: evaluationReport(v.id, true).verdict, metrics: evaluationReport(v.id, true).metrics });
      expect(await registry.reports.get(v.id, 'evaluation')).toEqual(passed);
      expect((await registry.reports.get(v.id, 'safety'))?.report).toEqual(safetyReport(v.id).report);
      expect((await registry.reports.list(v.id)).map((r) => [r.kind, r.sequence])).toEqual([
        ['evaluation', 1],
        ['evaluation', 2],
        ['safety', 1],
      ]);
      expect(await registry.reports.get('sotu@9', 'evaluation')).toBeUndefined();
    });

    it('round-trips any JSON report, including a bare string and nested arrays', async () => {
      const v = await registry.models.registerVersion(versionInput('sotu', 'r1'));
      await registry.reports.save({ versionId: v.id, kind: 'evaluation', verdict: { passed: true, reasons: [] }, metrics: {}, report: 'plain text' });
      expect((await registry.reports.get(v.id, 'evaluation'))?.report).toBe('plain text');
      const nested = { rows: [[1, 'a', null], { deep: [true] }] };
      await registry.reports.save({ versionId: v.id, kind: 'safety', verdict: { passed: false, reasons: ['x'] }, metrics: { a: 0.5 }, report: nested });
      expect((await registry.reports.get(v.id, 'safety'))?.report).toEqual(nested);
    });

    it('refuses reports for unknown or reserved versions and for aliases', async () => {
      await registry.models.nextVersion('sotu', 'r1');
      expect((await rejection(registry.reports.save(evaluationReport('sotu@1')))).code).toBe('unknown_model_version');
      expect((await rejection(registry.reports.save(evaluationReport('ghost@1')))).code).toBe('unknown_model_version');
      expect((await rejection(registry.reports.save(evaluationReport('sotu:champion')))).code).toBe('invalid_reference');
    });
  });
}
