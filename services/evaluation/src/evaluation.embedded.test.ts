/**
 * The evaluation module composed the way `crucible up` composes it: one Nest app on the
 * embedded (SQLite) bus with a SQLite registry, a real tiny artifact and ONNX Runtime.
 * Covers the champion-with-a-better-stored-report path, recovery from eval-report.json when
 * the registry lost the report, and start-up refusal of a bad task folder.
 */
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { type Event, TOPICS } from '@crucible/contracts';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { openRegistry, type Registry } from '@crucible/registry';
import { versionInput } from '@crucible/registry/testing';
import { Metrics, PlatformModule, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPORT_FILE } from './evaluate-model/evaluation-report';
import type { EvaluationProgress } from './evaluate-model/model-evaluator';
import { EvaluationModule } from './evaluation.module';
import { openEvaluation } from './open-evaluation';

type Evaluated = Event<typeof TOPICS.modelEvaluated>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A tasks folder with one small generation task, to keep the test quick. */
function smallTasks(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eval-tasks-'));
  writeFileSync(
    join(dir, 'mini.yaml'),
    'name: mini\nkind: generation\nmetrics: [bleu, exact_match]\ngeneration: {maxTokens: 4}\nexamples:\n  - {prompt: "The state of the Union is", references: [strong]}\n',
  );
  return dir;
}

async function start(registry: Registry, dataDir: string) {
  const bus = new EventBus(new EmbeddedBus({ path: ':memory:', idlePollMs: 10 }), 'test/evaluation');
  const progress: EvaluationProgress[] = [];
  const options = openEvaluation({ dataDir, registry, config: { tasksDir: smallTasks(), progressIntervalMs: 1 }, onProgress: (p) => progress.push(p) });
  const logger = createLogger('evaluation', 'silent');
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('evaluation') }), EvaluationModule.forRoot(options)] })
  class App {}
  const service = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
  const evaluated: Evaluated[] = [];
  const probe = await bus.subscribe(TOPICS.modelEvaluated, 'probe', async (e) => void evaluated.push(e));
  const trained = (model: string, n: number, artifactPath: string) =>
    bus.emit(
      TOPICS.modelTrained,
      { modelVersionId: `${model}@${n}`, model, runId: `run-${n}`, datasetId: 'tiny@1', tokenizerId: 'tiny-bpe', artifactPath, finalLoss: 5, parameters: 1 },
      { key: model },
    );
  const next = async (count: number): Promise<Evaluated> => {
    for (let i = 0; i < 600 && evaluated.length < count; i++) await sleep(50);
    if (evaluated.length < count) throw new Error(`only ${evaluated.length} model.evaluated events`);
    return evaluated[count - 1]!;
  };
  return { service, progress, trained, next, stop: async () => (await probe.stop(), await service.stop()) };
}

describe('evaluation in embedded mode', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('rejects a version whose held-out perplexity regresses against the champion’s stored report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eval-embedded-'));
    const registry = await openRegistry('sqlite::memory:');
    cleanup.push(() => registry.close());
    const dir = await makeTinyArtifact(root, { model: 'sotu', n: 2 });
    await registry.models.registerVersion(versionInput('sotu', 'run-1', { tokenizerId: 'tiny-bpe', datasetId: 'tiny@1' }));
    await registry.models.registerVersion(versionInput('sotu', 'run-2', { tokenizerId: 'tiny-bpe', datasetId: 'tiny@1', artifactPath: dir }));
    // The champion's stored evaluation is far better than a random-weights model can do.
    await registry.reports.save({ versionId: 'sotu@1', kind: 'evaluation', verdict: { passed: true, reasons: [] }, metrics: { perplexity: 20, bitsPerByte: 1 }, report: {} });
    await registry.models.setAlias('sotu', 'champion', 'sotu@1');

    const app = await start(registry, root);
    cleanup.push(app.stop);
    await app.trained('sotu', 2, dir);
    const event = await app.next(1);
    expect(event.payload.verdict.passed).toBe(false);
    expect(event.payload.verdict.reasons[0]).toMatch(/^perplexity [0-9.]+ > champion 20 × 1\.02$/);
    expect(event.payload.verdict.reasons[1]).toMatch(/^bitsPerByte [0-9.]+ > champion 1 × 1\.02$/);
    expect(event.payload.metrics['mini.bleu']).toBeGreaterThanOrEqual(0);
    expect(app.progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['load', 'held-out', 'task']));
    const body = (await (await fetch(`${app.service.url}/v1/evaluations/sotu@2`)).json()) as { report: { champion: { versionId: string } } };
    expect(body.report.champion.versionId).toBe('sotu@1');
  }, 120_000);

  it('re-measures a champion trained on another dataset version on the challenger’s held-out split', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eval-embedded-'));
    const registry = await openRegistry('sqlite::memory:');
    cleanup.push(() => registry.close());
    const championDir = await makeTinyArtifact(root, { model: 'sotu', n: 1, trainSteps: 30 });
    const challengerDir = await makeTinyArtifact(root, { model: 'sotu', n: 2, seed: 5 });
    await registry.models.registerVersion(versionInput('sotu', 'run-1', { tokenizerId: 'tiny-bpe', datasetId: 'tiny@0', artifactPath: championDir }));
    await registry.models.registerVersion(versionInput('sotu', 'run-2', { tokenizerId: 'tiny-bpe', datasetId: 'tiny@1', artifactPath: challengerDir }));
    // Stored numbers from its own (older) split that any model would beat: the gate must not use them.
    await registry.reports.save({ versionId: 'sotu@1', kind: 'evaluation', verdict: { passed: true, reasons: [] }, metrics: { perplexity: 1e6, bitsPerByte: 100 }, report: {} });
    await registry.models.setAlias('sotu', 'champion', 'sotu@1');

    const app = await start(registry, root);
    cleanup.push(app.stop);
    await app.trained('sotu', 2, challengerDir);
    const { verdict, metrics } = (await app.next(1)).payload;
    expect(verdict.reasons[0]).toBe('champion sotu@1 (trained on tiny@0) re-measured on the held-out split of tiny@1');
    expect(verdict.reasons[1]).toMatch(/^perplexity [0-9.]+ > champion [0-9.]+ × 1\.02$/);
    expect(verdict.passed).toBe(false);
    const body = (await (await fetch(`${app.service.url}/v1/evaluations/sotu@2`)).json()) as { report: { champion: { metrics: { perplexity: number } } } };
    expect(body.report.champion.metrics.perplexity).toBeLessThan(metrics.perplexity! / 1.02);
  }, 120_000);

  it('answers from eval-report.json when the registry has no report, and stores it there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'eval-embedded-'));
    const dir = await makeTinyArtifact(root, { model: 'sotu', n: 1 });
    const first = await openRegistry('sqlite::memory:');
    await first.models.registerVersion(versionInput('sotu', 'run-1', { tokenizerId: 'tiny-bpe', artifactPath: dir }));
    const a = await start(first, root);
    await a.trained('sotu', 1, dir);
    const original = await a.next(1);
    await a.stop();
    await first.close();
    expect(existsSync(join(dir, REPORT_FILE))).toBe(true);

    const second = await openRegistry('sqlite::memory:'); // a registry that never saw the report
    cleanup.push(() => second.close());
    await second.models.registerVersion(versionInput('sotu', 'run-1', { tokenizerId: 'tiny-bpe', artifactPath: dir }));
    const b = await start(second, root);
    cleanup.push(b.stop);
    await b.trained('sotu', 1, dir);
    const again = await b.next(1);
    expect(again.payload).toEqual(original.payload);
    expect(b.progress).toEqual([]); // nothing measured
    expect((await second.reports.get('sotu@1', 'evaluation'))?.metrics).toEqual(original.payload.metrics);
  }, 120_000);

  it('refuses to start with a malformed task file, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-tasks-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\nkind: translation\nexamples: []\n');
    const registry = await openRegistry('sqlite::memory:');
    cleanup.push(() => registry.close());
    expect(() => openEvaluation({ dataDir: dir, registry, config: { tasksDir: dir } })).toThrow(/broken\.yaml: kind: .*; examples/);
  });
});
