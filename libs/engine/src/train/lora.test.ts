import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packShard, writeShardFile } from '@crucible/shards';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../infer/generator';
import { meanLoss } from '../interop/onnx-export';
import { presets } from '../model/gpt.config';
import { initWeights } from '../model/gpt.init';
import { loraSpecs } from '../model/lora';
import { readAdapters } from './checkpoint';
import { Trainer } from './trainer';

const dir = mkdtempSync(join(tmpdir(), 'engine-lora-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shard = join(dir, 'train.bin');
writeShardFile(shard, packShard(Array.from({ length: 60 }, (_, d) => Array.from({ length: 40 }, (_, i) => 1 + ((d + i * 5) % 30))), 'uint16', 0));
const config = { ...presets.tiny, vocabSize: 32 };
const base = initWeights(config, 5);
const lora = { rank: 4, alpha: 8, targets: ['attn.c_attn', 'mlp.c_fc'] as const };
const hyper = { batchSize: 4, seqLen: 32, maxSteps: 8, decaySteps: 8, lr: 5e-2, warmupSteps: 0, seed: 3, threads: 1 };

describe('LoRA fine-tuning', () => {
  it('trains only adapters, merges into the targeted weights, and resumes exactly', async () => {
    expect(loraSpecs(config, lora)).toHaveLength(2 * 2 * config.nLayer);
    const t = new Trainer({ config, shards: [shard], hyper, initialWeights: base, lora, log: false, checkpointDir: join(dir, 'ck') });
    const r = await t.run();
    expect(r.losses[7]!).toBeLessThan(r.losses[0]! - 0.1);
    const merged = t.weights();
    for (const [name, w] of base) {
      const changed = merged.get(name)!.some((x, i) => x !== w[i]);
      expect(changed).toBe(/h\.\d+\.(attn\.c_attn|mlp\.c_fc)\.weight$/.test(name));
    }
    // The merged model computes what base + adapters computed.
    const windows = [Array.from({ length: 33 }, (_, i) => 1 + ((i * 5) % 30))];
    const mergedLoss = await meanLoss(config, merged, windows);
    expect(mergedLoss).toBeLessThan(await meanLoss(config, base, windows));
    t.exportAdapters(join(dir, 'adapters'));
    expect(readAdapters(join(dir, 'adapters')).adapters.size).toBe(loraSpecs(config, lora).length);
    // Hot-loaded (separate) adapters and merged weights decode identically.
    const separate = await Generator.fromWeights(config, base, { adapterDir: join(dir, 'adapters'), threads: 1 });
    const fused = await Generator.fromWeights(config, merged, { threads: 1 });
    const [s1, s2] = [await separate.prefill([[1, 6, 11]]), await fused.prefill([[1, 6, 11]])];
    s1.logits.forEach((x, i) => expect(Math.abs(x - s2.logits[i]!)).toBeLessThan(1e-4));
    await Promise.all([separate.close(), fused.close()]);

    const half = new Trainer({ config, shards: [shard], hyper: { ...hyper, maxSteps: 4 }, initialWeights: base, lora, log: false, checkpointDir: join(dir, 'ck4') });
    await half.run();
    const resumed = new Trainer({ config, shards: [shard], hyper, initialWeights: base, lora, log: false });
    expect((await resumed.resume(join(dir, 'ck4'))).losses).toEqual(r.losses);
    await Promise.all([t.close(), half.close(), resumed.close()]);
  }, 60_000);
});
