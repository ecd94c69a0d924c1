import { readModelLineage, TextModel } from '@crucible/model-artifact';
import { makeTinyArtifact } from '@crucible/model-artifact/testing';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from './export/export.command';
import { generate } from './generate/generate.command';
import { manifestPathOf, trainLocally } from './train/local-training';

/** Captures what a command prints. */
function sink(): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c, _e, done) => { chunks.push(String(c)); done(); } });
  return Object.assign(stream, { text: () => chunks.join('') }) as unknown as NodeJS.WriteStream & { text: () => string };
}

describe('crucible train / generate / export', () => {
  let root: string;
  const base = { preset: 'tiny' as const, batchSize: 4, seqLen: 32, lr: 3e-3, seed: 5, resume: false, device: 'cpu' as const, threads: 1, checkpointEvery: 3 };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cli-model-'));
    await makeTinyArtifact(root);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('trains on a sealed dataset and writes a loadable model version with lineage', async () => {
    const modelDir = await trainLocally({ ...base, data: join(root, 'dataset'), steps: 6, out: join(root, 'straight') }, sink());
    const lineage = readModelLineage(modelDir);
    expect(lineage.datasetId).toBe('tiny@1');
    expect(lineage.finalLoss).toBeGreaterThan(0);
    expect(lineage.validationLoss).toBeGreaterThan(0);
    const model = await TextModel.load(modelDir);
    expect(model.config.vocabSize).toBe(model.tokenizer.vocabSize);
    await model.close();
  }, 120_000);

  it('--resume continues the exact loss sequence of an uninterrupted run', async () => {
    // An interrupted run: only the uninterrupted run's mid-way checkpoint (step 3 of 6) exists.
    const out = join(root, 'interrupted');
    mkdirSync(join(out, 'checkpoints'), { recursive: true });
    cpSync(join(root, 'straight', 'checkpoints', 'step-00000003'), join(out, 'checkpoints', 'step-00000003'), { recursive: true });
    writeFileSync(join(out, 'checkpoints', 'latest'), 'step-00000003');
    const log = sink();
    const resumed = await trainLocally({ ...base, data: join(root, 'dataset'), steps: 6, out, resume: true }, log);
    expect(log.text()).toMatch(/resuming from .*step-00000003/);
    expect(readModelLineage(resumed).finalLoss).toBe(readModelLineage(join(root, 'straight', 'model')).finalLoss);
  }, 120_000);

  it('generate streams what a greedy batch completion produces', async () => {
    const modelDir = join(root, 'straight', 'model');
    const printed = sink();
    const text = await generate('Everyone has the right', { model: modelDir, maxTokens: 12, temperature: 0, seed: 0, device: 'cpu', fp16: false }, printed);
    const model = await TextModel.load(modelDir);
    const [expected] = await model.complete(['Everyone has the right'], { maxTokens: 12 });
    await model.close();
    expect(text).toBe(expected!.text);
    expect(printed.text()).toBe(`${expected!.text}\n`);
  }, 60_000);

  it('export --fp16 halves the weights and reports the perplexity change', async () => {
    const result = await exportModel({ model: join(root, 'straight', 'model'), out: join(root, 'onnx16'), fp16: true, windows: 4 }, sink());
    expect(result.bytes / result.fp32Bytes!).toBeLessThan(0.56);
    expect(Math.abs(result.perplexity!.fp16 - result.perplexity!.fp32) / result.perplexity!.fp32).toBeLessThan(0.01);
  }, 60_000);

  it('names the missing manifest when --data is not a sealed dataset', () => {
    expect(() => manifestPathOf(root)).toThrow(/no manifest\.json/);
    expect(() => manifestPathOf(join(root, 'nope'))).toThrow(/no such file/);
  });
});
