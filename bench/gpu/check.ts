/**
 * GPU check of the engine on a CUDA machine: the same Trainer and Generator code with
 * `executionProviders: ['cuda']`. (1) the `tiny` loss sequence on CPU and on CUDA from the
 * same seed and data must agree; (2) tokens/s of the `gpt2` (124 M) training step on CUDA and of
 * PyTorch eager on the same GPU, config, batch and sequence length (the ratio); (3) decode
 * tokens/s at batch 1 and 8 on CUDA.
 * It needs onnxruntime-node with its CUDA execution provider (libonnxruntime_providers_cuda.so
 * beside libonnxruntime.so) — see bench/gpu/README.md for how it was run.
 * Reproduce: `node scripts/run-ts.cjs bench/gpu/check.ts` (env GPU_STEPS, GPU_BATCH, GPU_SEQ, GPU_SKIP_TORCH).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, Trainer, countParams, exportHuggingFace, initWeights, presets, trainFlopsPerToken, type ExecutionProvider, type GptConfig } from '@crucible/engine';
import { packShard, writeShardFile } from '@crucible/shards';

const STEPS = Number(process.env.GPU_STEPS ?? 6);
const B = Number(process.env.GPU_BATCH ?? 8);
const T = Number(process.env.GPU_SEQ ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'gpu-check-'));

/** Synthetic documents of random tokens: throughput and agreement don't depend on the text. */
function shard(config: GptConfig, tokens: number): string {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % (config.vocabSize - 1);
  const docs = Array.from({ length: Math.ceil(tokens / 2048) }, () => Uint32Array.from({ length: 2048 }, next));
  const path = join(work, `train-${config.vocabSize}.bin`);
  writeShardFile(path, packShard(docs, config.vocabSize > 65535 ? 'uint32' : 'uint16', config.vocabSize - 1));
  return path;
}

async function losses(config: GptConfig, ep: ExecutionProvider, steps: number, batch: number, seq: number, log = false): Promise<{ losses: number[]; tokPerSec: number[] }> {
  const tokPerSec: number[] = [];
  const trainer = new Trainer({
    config, shards: [shard(config, batch * seq * (steps + 2))], executionProviders: [ep], log,
    hyper: { batchSize: batch, seqLen: seq, maxSteps: steps, lr: 6e-4, warmupSteps: 1, seed: 1, threads: 8 },
    onProgress: (p) => tokPerSec.push(p.tokensPerSec),
  });
  const result = await trainer.run();
  await trainer.close();
  return { losses: [...result.losses], tokPerSec };
}

async function main(): Promise<void> {
  // 1. Same code, same seed: CPU and CUDA loss sequences.
  const tiny = { ...presets.tiny };
  const cpu = await losses(tiny, 'cpu', 5, 8, 64);
  const cuda = await losses(tiny, 'cuda', 5, 8, 64);
  const diff = Math.max(...cpu.losses.map((l, i) => Math.abs(l - cuda.losses[i]!)));
  console.log(`tiny cpu  losses ${cpu.losses.map((l) => l.toFixed(5)).join(' ')}`);
  console.log(`tiny cuda losses ${cuda.losses.map((l) => l.toFixed(5)).join(' ')}`);
  console.log(`tiny_loss_max_abs_diff_cpu_vs_cuda=${diff.toExponential(2)}`);

  // 2. gpt2 (124 M) training step on CUDA.
  const gpt2 = presets.gpt2;
  console.log(`gpt2: ${(countParams(gpt2) / 1e6).toFixed(1)} M params, batch ${B}, seq ${T}, ${STEPS} steps on CUDA`);
  const run = await losses(gpt2, 'cuda', STEPS, B, T, true);
  const ours = Math.max(...run.tokPerSec.slice(1));
  const tflops = (ours * trainFlopsPerToken(gpt2, T)) / 1e12;
  console.log(`ours_cuda_train_tokens_per_s=${ours.toFixed(0)} (${tflops.toFixed(1)} model TFLOP/s fp32; losses ${run.losses.map((l) => l.toFixed(3)).join(' ')})`);

  // 3. Decode on CUDA.
  const weights = initWeights(gpt2, 1);
  const gen = await Generator.fromWeights(gpt2, weights, { executionProviders: ['cuda'] });
  for (const batch of [1, 8]) {
    const prompts = Array.from({ length: batch }, (_, b) => Array.from({ length: 32 }, (_, i) => (b * 131 + i * 17) % 50000));
    await gen.generate(prompts, { maxTokens: 4, temperature: 0 });
    const t0 = performance.now();
    const out = await gen.generate(prompts, { maxTokens: 64, temperature: 0 });
    const s = (performance.now() - t0) / 1000;
    console.log(`ours_cuda_decode_b${batch}_tokens_per_s=${(out.reduce((k, o) => k + o.length, 0) / s).toFixed(0)}`);
  }
  await gen.close();

  // 4. PyTorch eager on the same GPU, config, batch and sequence length.
  if (process.env.GPU_SKIP_TORCH !== '1') {
    const hf = join(work, 'hf');
    exportHuggingFace(hf, gpt2, weights);
    const json = execFileSync('python3', [join(__dirname, 'torch_train_cuda.py'), hf, String(B), String(T), String(STEPS)], { encoding: 'utf8' });
    const theirs = (JSON.parse(json.trim().split('\n').pop()!) as { tokens_per_s: number }).tokens_per_s;
    console.log(`torch_cuda_train_tokens_per_s=${theirs.toFixed(0)}`);
    console.log(`train_ratio_vs_pytorch_cuda=${(ours / theirs).toFixed(3)}`);
  }
  console.log('reproduce: node scripts/run-ts.cjs bench/gpu/check.ts (on a CUDA machine; see bench/gpu/README.md)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
