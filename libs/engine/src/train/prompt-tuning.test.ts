import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packShard, writeShardFile } from '@crucible/shards';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../infer/generator';
import { GraphBuilder } from '../ir/graph.builder';
import { compileToBytes } from '../ir/onnx.compiler';
import { presets } from '../model/gpt.config';
import { gptForward, lmHead } from '../model/gpt.graph';
import { initWeights } from '../model/gpt.init';
import { paramSpecs } from '../model/gpt.params';
import { createSession, int64Tensor } from '../runtime/ort.session';
import { PROMPT_EMBEDDINGS } from './training-step.graph';
import { Trainer } from './trainer';

const dir = mkdtempSync(join(tmpdir(), 'engine-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shard = join(dir, 'train.bin');
writeShardFile(shard, packShard(Array.from({ length: 60 }, (_, d) => Array.from({ length: 40 }, (_, i) => 1 + ((d + i * 7) % 30))), 'uint16', 0));
const config = { ...presets.tiny, vocabSize: 32 };
const base = initWeights(config, 8);

describe('prompt tuning', () => {
  it('trains only the prefix, and the Generator with the prefix cache matches a full forward pass', async () => {
    const t = new Trainer({ config, shards: [shard], hyper: { batchSize: 4, seqLen: 24, maxSteps: 8, lr: 5e-2, warmupSteps: 0, seed: 2, threads: 1 }, initialWeights: base, promptTokens: 4, log: false });
    const r = await t.run();
    expect(r.losses[7]!).toBeLessThan(r.losses[0]!);
    for (const [k, w] of t.weights()) expect(w).toEqual(base.get(k));
    const prompt = t.adapters().get(PROMPT_EMBEDDINGS)!;
    expect(prompt).toHaveLength(4 * config.nEmbd);
    t.exportAdapters(join(dir, 'prompt'));

    // Reference: training-mode forward with the prefix over [5, 9, 2], last position.
    const g = new GraphBuilder('ref');
    const specs = paramSpecs(config);
    const params = new Map(specs.map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
    const prefix = g.constant(prompt, 'float32', [4, config.nEmbd]);
    const { hidden } = gptForward(g, config, params, g.input('ids', 'int64', [1, 3]), { kind: 'train', batch: 1, seqLen: 3, prefix });
    g.output('logits', lmHead(g, params, hidden));
    const ref = (await (await createSession(compileToBytes(g, { initializers: base }), { threads: 1 })).run({ ids: int64Tensor([5, 9, 2], [1, 3]) })).logits!.data as Float32Array;

    const gen = await Generator.fromWeights(config, base, { adapterDir: join(dir, 'prompt'), threads: 1 });
    // Row 1 is left-padded by one: the padding sits between the prefix and the tokens.
    const state = await gen.prefill([[7, 5, 9, 2], [5, 9, 2]]);
    const V = config.vocabSize;
    state.logits.subarray(V, 2 * V).forEach((x, i) => expect(Math.abs(x - ref[2 * V + i]!)).toBeLessThan(1e-4));
    await Promise.all([t.close(), gen.close()]);
  }, 60_000);
});
