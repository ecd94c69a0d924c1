/**
 * bench:train — tokens/s of our ONNX Runtime training step (forward, cross-entropy, backward,
 * global-norm clip, AdamW in one graph) vs PyTorch eager (transformers GPT2LMHeadModel +
 * torch.optim.AdamW) on the same `small` config, weights, batch, sequence length and thread
 * count, measured in the same run (ours before and after the peer; best step of each side),
 * plus MFU against the measured ORT MatMul peak.
 * Reproduce: `npm run bench:train` (env: BENCH_BATCH, BENCH_SEQ, BENCH_STEPS, BENCH_THREADS).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HyperSchema, buildTrainingStep, compileToBytes, countParams, createSession, exportHuggingFace, initWeights, measureMatmulPeak,
  paramSpecs, presets, trainFlopsPerToken,
} from '@crucible/engine';
import * as ort from 'onnxruntime-node';
import { peerPython } from '@crucible/engine/testing';
import { reportMachineLoad } from '../machine-load';

const B = Number(process.env.BENCH_BATCH ?? 4);
const T = Number(process.env.BENCH_SEQ ?? 256);
const STEPS = Number(process.env.BENCH_STEPS ?? 3);
const THREADS = Number(process.env.BENCH_THREADS ?? 2);

async function main(): Promise<void> {
  reportMachineLoad();
  const config = presets.small;
  const work = mkdtempSync(join(tmpdir(), 'bench-train-'));
  const weights = initWeights(config, 1);
  exportHuggingFace(join(work, 'hf'), config, weights);
  console.log(`config small: ${(countParams(config) / 1e6).toFixed(2)} M params, batch ${B}, seq ${T}, threads ${THREADS}, ${STEPS} timed steps`);

  const hyper = HyperSchema.parse({ batchSize: B, seqLen: T, threads: THREADS });
  const t0 = performance.now();
  const session = await createSession(compileToBytes(buildTrainingStep(config, hyper).graph), { threads: THREADS });
  console.log(`ours: graph built, compiled and loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const specs = paramSpecs(config);
  const feeds: Record<string, ort.Tensor> = {};
  for (const s of specs) {
    feeds[s.name] = new ort.Tensor('float32', weights.get(s.name)!, s.shape);
    feeds[`m.${s.name}`] = new ort.Tensor('float32', new Float32Array(weights.get(s.name)!.length), s.shape);
    feeds[`v.${s.name}`] = new ort.Tensor('float32', new Float32Array(weights.get(s.name)!.length), s.shape);
  }
  let seed = 1;
  const rand = (): bigint => BigInt((seed = (seed * 1103515245 + 12345) % 2 ** 31) % config.vocabSize);
  feeds.input_ids = new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, rand), [B, T]);
  feeds.targets = new ort.Tensor('int64', BigInt64Array.from({ length: B * T }, rand), [B, T]);
  feeds.lr = new ort.Tensor('float32', Float32Array.of(6e-4), []);
  let stepNo = 0;
  const ourSteps = async (n: number): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      feeds.step = new ort.Tensor('float32', Float32Array.of(++stepNo), []);
      const s0 = performance.now();
      const out = await session.run(feeds);
      times.push((performance.now() - s0) / 1000);
      for (const s of specs) {
        feeds[s.name] = out[`new.${s.name}`]!;
        feeds[`m.${s.name}`] = out[`new.m.${s.name}`]!;
        feeds[`v.${s.name}`] = out[`new.v.${s.name}`]!;
      }
    }
    return times;
  };
  await ourSteps(1); // warm-up
  // Ours runs before and after the peer, and both sides report their best step: on a machine
  // shared with other builds this compares the two at their least-disturbed moments.
  const before = await ourSteps(STEPS);
  const peer = JSON.parse(execFileSync(peerPython(), [join(__dirname, 'torch_train.py'), join(work, 'hf'), String(B), String(T), String(2 * STEPS), String(THREADS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { tokens_per_sec: number; best_step_s: number; torch: string };
  const best = Math.min(...before, ...(await ourSteps(STEPS)));
  const ours = (B * T) / best;
  const peak = await measureMatmulPeak(THREADS, 1024);
  const mfu = (trainFlopsPerToken(config, T) * ours) / peak;
  console.log(`ours:    ${ours.toFixed(0)} tokens/s (best step ${best.toFixed(3)} s of ${2 * STEPS}), MFU ${(mfu * 100).toFixed(1)}% of measured MatMul peak ${(peak / 1e9).toFixed(1)} GFLOP/s`);
  const peerMfu = (trainFlopsPerToken(config, T) * peer.tokens_per_sec) / peak;
  console.log(`pytorch: ${peer.tokens_per_sec.toFixed(0)} tokens/s (best step ${peer.best_step_s.toFixed(3)} s of ${2 * STEPS}, torch ${peer.torch} eager), MFU ${(peerMfu * 100).toFixed(1)}%`);
  console.log('reproduce: npm run bench:train');
  rmSync(work, { recursive: true, force: true });
  console.log(`train_ratio_vs_pytorch=${(ours / peer.tokens_per_sec).toFixed(3)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
