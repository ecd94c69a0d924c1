import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError } from './artifact.errors';
import { readModelLineage } from './lineage';
import { TextModel } from './text-model';
import { makeTinyArtifact } from './testing';

describe('TextModel on a tiny artifact', () => {
  let root: string;
  let model: TextModel;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'model-artifact-'));
    model = await TextModel.load(await makeTinyArtifact(root, { trainSteps: 20 }));
  }, 120_000);
  afterAll(async () => {
    await model?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads the lineage written next to the weights', () => {
    const lineage = readModelLineage(model.dir);
    expect(lineage.versionId).toBe('tiny@1');
    expect(lineage.manifestPath).toMatch(/manifest\.json$/);
    expect(lineage.finalLoss).toBeGreaterThan(0);
    expect(lineage.chatTemplate.stop).toContain('\nUser:');
  });

  it('completes a batch greedily and reproducibly', async () => {
    const prompts = ['Everyone has the right to', 'All human beings are born'];
    const first = await model.complete(prompts, { maxTokens: 12 });
    const again = await model.complete(prompts, { maxTokens: 12 });
    expect(first.map((c) => c.text)).toEqual(again.map((c) => c.text));
    for (const c of first) {
      expect(c.tokens.length).toBeGreaterThan(0);
      expect(c.tokens.length).toBeLessThanOrEqual(12);
      expect(model.decode(c.tokens)).toBe(c.text);
    }
  });

  it('cuts a completion at the first stop sequence and reports why it ended', async () => {
    const [free] = await model.complete(['Everyone has the right to'], { maxTokens: 16 });
    const stop = free!.text.slice(2, 4);
    expect(stop.length).toBe(2);
    const [cut] = await model.complete(['Everyone has the right to'], { maxTokens: 16, stop: [stop] });
    expect(cut!.finishReason).toBe('stop');
    expect(cut!.text).toBe(free!.text.slice(0, free!.text.indexOf(stop)));
    expect(free!.finishReason === 'length' || free!.tokens.length < 16).toBe(true);
  });

  it('keeps the end of a prompt longer than the context window', async () => {
    const long = 'freedom and dignity '.repeat(200);
    const [c] = await model.complete([long], { maxTokens: 4 });
    expect(c!.truncated).toBe(true);
    expect(c!.promptTokens).toBe(model.config.contextLength - 4);
  });

  it('scores a continuation as the sum of its token log-probabilities', async () => {
    const [likely, unlikely] = await model.logLikelihood([
      { context: 'Everyone has the right to', continuation: ' life, liberty' },
      { context: 'Everyone has the right to', continuation: ' zqxj vvkw' },
    ]);
    expect(likely).toBeLessThan(0);
    expect(likely).toBeGreaterThan(unlikely!);
  });

  it('scores rows whose longest context and longest continuation together exceed the context', async () => {
    const long = 'freedom and dignity '.repeat(40);
    const scores = await model.logLikelihood([
      { context: long, continuation: ' rights' },
      { context: 'Everyone', continuation: ' has the right to life, liberty and security of person, and to equal protection' },
    ]);
    expect(scores.every(Number.isFinite)).toBe(true);
  });

  it('renders chat with the artifact template', () => {
    expect(model.renderChat([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }])).toBe('System: Be brief.\nUser: Hello\nAssistant:');
  });

  it('rejects a directory without valid lineage with a typed error', () => {
    writeFileSync(join(root, 'crucible.json'), '{"versionId": 3}');
    expect(() => readModelLineage(root)).toThrow(ArtifactError);
  });
});
