/**
 * Fine-tuning end to end on the embedded bus with real worker processes: a registered base
 * version (a real tiny artifact), a LoRA run on a dataset sealed with the base's tokenizer →
 * a new version whose weights are the base with the trained adapters merged in; and a
 * dataset tokenized differently is refused before anything runs.
 */
import { EmbeddedBus, EventBus, type Subscription } from '@crucible/bus';
import { type DatasetSealed, type Event, TOPICS } from '@crucible/contracts';
import { importHuggingFace } from '@crucible/engine';
import { TextModel, readModelLineage } from '@crucible/model-artifact';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { openRegistry } from '@crucible/registry';
import { Metrics, PlatformModule, createLogger, runService } from '@crucible/service-kit';
import { readManifest } from '@crucible/shards';
import { Module } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalLauncher } from './launchers/local/local.launcher';
import { closeTraining, openTraining } from './open-training';
import { writeTinyDataset } from './testing/tiny-dataset';
import { TrainingModule } from './training.module';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sealedFromManifest(manifestPath: string): DatasetSealed {
  const m = readManifest(manifestPath);
  return {
    dataset: m.dataset,
    datasetId: m.datasetId,
    tokenizerId: m.tokenizer.id,
    manifestPath,
    manifestSha256: createHash('sha256').update(readFileSync(manifestPath)).digest('hex'),
    dtype: m.dtype,
    vocabSize: m.tokenizer.vocabSize,
    documents: m.totals.documents,
    tokens: m.totals.tokens,
    shards: m.shards,
  };
}

describe('fine-tuning', () => {
  it('trains LoRA adapters on a registered base version and registers the merged model', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crucible-training-ft-'));
    const baseDir = await makeTinyArtifact(dataDir, { model: 'base', n: 1 });
    const baseLineage = readModelLineage(baseDir);
    const registry = await openRegistry('sqlite::memory:');
    await registry.models.registerVersion({
      model: 'base', runId: baseLineage.runId, datasetId: baseLineage.datasetId, datasetSha256: baseLineage.manifestSha256!, tokenizerId: baseLineage.tokenizerId,
      codeVersion: 'test', hyperParameters: {}, artifactPath: baseDir, parameters: baseLineage.parameters,
    });
    const bus = new EventBus(new EmbeddedBus({ path: ':memory:', idlePollMs: 10 }), 'test/training');
    const training = openTraining({ dataDir, registry, launcher: new LocalLauncher({ onWorkerOutput: () => undefined }), config: { threads: 1, evalBatches: 1, retrain: { onSeal: false } } });
    const logger = createLogger('training', 'silent');
    @Module({ imports: [PlatformModule.forRoot({ config: {}, logger, bus, metrics: new Metrics('training') }), TrainingModule.forRoot(training)] })
    class App {}
    const service = await runService({ module: App, bus, logger, host: '127.0.0.1', port: 0 });
    const trained: Event<typeof TOPICS.modelTrained>[] = [];
    const failed: Event<typeof TOPICS.trainingFailed>[] = [];
    const probes: Subscription[] = [
      await bus.subscribe(TOPICS.modelTrained, 'probe-trained', async (e) => void trained.push(e)),
      await bus.subscribe(TOPICS.trainingFailed, 'probe-failed', async (e) => void failed.push(e)),
    ];
    try {
      const sameTokenizer = sealedFromManifest(join(dataDir, 'dataset', 'manifest.json'));
      const otherTokenizer = await writeTinyDataset(join(dataDir, 'datasets'), { name: 'other' });
      await bus.emit(TOPICS.datasetsSealed, sameTokenizer, { key: sameTokenizer.dataset });
      await bus.emit(TOPICS.datasetsSealed, otherTokenizer, { key: otherTokenizer.dataset });
      const hyperParameters = { steps: 3, batchSize: 2, sequenceLength: 32, learningRate: 1e-2 };
      await bus.emit(TOPICS.trainingRequested, { runId: 'mismatch', datasetId: otherTokenizer.datasetId, method: 'lora', baseModelVersionId: 'base@1', hyperParameters }, { key: 'mismatch' });
      await bus.emit(TOPICS.trainingRequested, { runId: 'lora-1', datasetId: sameTokenizer.datasetId, method: 'lora', baseModelVersionId: 'base@1', model: 'base', hyperParameters }, { key: 'lora-1' });
      for (let i = 0; i < 1000 && trained.length === 0; i++) await sleep(100);

      expect(failed.map((e) => e.payload)).toEqual([
        expect.objectContaining({ runId: 'mismatch', retriable: false, reason: expect.stringMatching(/base model base@1 uses tokenizer tiny-bpe but dataset other@1 was tokenized with sha256:/) }),
      ]);
      expect(trained[0]!.payload).toMatchObject({ modelVersionId: 'base@2', runId: 'lora-1', tokenizerId: 'tiny-bpe' });
      const tuned = importHuggingFace(trained[0]!.payload.artifactPath).weights;
      const base = importHuggingFace(baseDir).weights;
      // Adapters target attn.c_attn: those weights moved, everything else is the frozen base.
      const moved = [...base.keys()].filter((k) => !tuned.get(k)!.every((v, i) => v === base.get(k)![i]));
      expect(moved.length).toBeGreaterThan(0);
      expect(moved.every((k) => k.endsWith('attn.c_attn.weight'))).toBe(true);
      const model = await TextModel.load(trained[0]!.payload.artifactPath, { threads: 1 });
      const [completion] = await model.complete(['The '], { maxTokens: 4 });
      expect(completion!.promptTokens).toBeGreaterThan(0);
      expect(completion!.finishReason).toMatch(/^(stop|length)$/);
    } finally {
      for (const p of probes) await p.stop();
      await service.stop();
      closeTraining(training);
      await registry.close();
    }
  });
});
