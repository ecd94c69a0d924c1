/**
 * A service stopped mid-run, with real workers: the next start resumes the run from its last
 * checkpoint and finishes it with exactly the loss sequence of a run that was never
 * interrupted (same seed, same data, same thread count).
 */
import { EmbeddedBus, EventBus } from '@crucible/bus';
import { TOPICS } from '@crucible/contracts';
import { openRegistry } from '@crucible/registry';
import { Metrics, PlatformModule, createLogger, runService } from '@crucible/service-kit';
import { Module } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalLauncher } from './launchers/local/local.launcher';
import { closeTraining, openTraining } from './open-training';
import { TrainingRunsService } from './runs/training-runs.service';
import { writeTinyDataset } from './testing/tiny-dataset';
import { TrainingModule } from './training.module';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STEPS = 200;
const hyperParameters = { steps: STEPS, batchSize: 2, sequenceLength: 16, learningRate: 3e-3, seed: 3 };

async function startService(dataDir: string, registryUrl: string) {
  const registry = await openRegistry(registryUrl);
  const bus = new EventBus(new EmbeddedBus({ path: join(dataDir, 'bus.sqlite'), idlePollMs: 10 }), 'test/training');
  const training = openTraining({
    dataDir,
    registry,
    launcher: new LocalLauncher({ onWorkerOutput: () => undefined }),
    config: { threads: 1, checkpointEvery: 10, evalEvery: 0, evalBatches: 1, progress: { everySteps: 10, intervalMs: 60_000 }, retrain: { onSeal: false } },
  });
  const logger = createLogger('training', 'silent');
  @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('training') }), TrainingModule.forRoot(training)] })
  class App {}
  const service = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
  return {
    registry,
    bus,
    runs: service.app.get(TrainingRunsService),
    async stop() {
      await service.stop();
      closeTraining(training);
      await registry.close();
    },
  };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('resume at start', () => {
  it('continues a run interrupted by a service stop into the losses of an uninterrupted run', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crucible-training-restart-'));
    const registryUrl = `sqlite:${join(dataDir, 'registry.db')}`;
    const sealed = await writeTinyDataset(join(dataDir, 'datasets'), { name: 'restart', documents: 120 });

    const first = await startService(dataDir, registryUrl);
    await first.bus.emit(TOPICS.trainingRequested, { runId: 'interrupted', datasetId: sealed.datasetId, preset: 'tiny', hyperParameters }, { key: 'interrupted' });
    await until(async () => Boolean((await first.registry.runs.get('interrupted'))?.lastCheckpoint), 'a first checkpoint');
    await first.stop();

    const second = await startService(dataDir, registryUrl);
    try {
      const stopped = await second.registry.runs.get('interrupted');
      expect(stopped).toMatchObject({ status: 'running', attempt: 1 });
      expect(stopped!.step).toBeLessThan(STEPS);
      await second.runs.recovered;
      await second.bus.emit(TOPICS.trainingRequested, { runId: 'uninterrupted', datasetId: sealed.datasetId, preset: 'tiny', hyperParameters }, { key: 'uninterrupted' });
      await until(async () => (await second.registry.runs.get('uninterrupted'))?.status === 'succeeded', 'both runs to succeed', 240_000);

      const interrupted = await second.registry.runs.get('interrupted');
      const uninterrupted = await second.registry.runs.get('uninterrupted');
      expect(interrupted).toMatchObject({ status: 'succeeded', attempt: 1, modelVersionId: 'restart@1' });
      expect(uninterrupted).toMatchObject({ status: 'succeeded', modelVersionId: 'restart@2' });
      // Progress is throttled (every 10th step from each attempt's first), so compare the steps both recorded.
      const losses = async (runId: string) => new Map((await second.registry.runs.progress(runId)).map((p) => [p.step, p.loss]));
      const reference = await losses('uninterrupted');
      const resumed = await losses('interrupted');
      const common = [...resumed.keys()].filter((step) => reference.has(step));
      expect(common.length).toBeGreaterThanOrEqual(STEPS / 10);
      expect(common.some((step) => step > stopped!.step)).toBe(true);
      for (const step of common) expect([step, resumed.get(step)]).toEqual([step, reference.get(step)]);
      expect(resumed.get(STEPS)).toBe(reference.get(STEPS));
      expect(interrupted!.finalLoss).toBe(uninterrupted!.finalLoss);
    } finally {
      await second.stop();
    }
  });
});
