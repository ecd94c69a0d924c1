/**
 * Engine reference check against PyTorch/transformers (`npm run check:engine-reference`).
 * On a tiny GPT-2 with identical weights: our logits and loss match transformers within
 * 1e-4; one training step (clip + AdamW) gives the same params within 1e-5, and so does a
 * second (moments, bias corrections at t = 2); transformers
 * loads our HF export and its logits match our KV-cache Generator's; peft loads our LoRA
 * export and matches our Generator with hot-loaded adapters. Needs the bench venv
 * (~/.cache/crucible/venv-bench with torch, transformers, safetensors).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GraphBuilder, Generator, HyperSchema, Rng, buildTrainingStep, compileToBytes, createSession, crossEntropy, exportHuggingFace,
  exportPeftLora, gptForward, initLora, initWeights, lmHead, paramSpecs, presets, writeAdapters, writeSafetensors, type SafeTensor,
} from '@crucible/engine';
import * as ort from 'onnxruntime-node';
import { peerPython } from '@crucible/engine/testing';

const work = mkdtempSync(join(tmpdir(), 'engine-reference-'));
const config = { ...presets.tiny, vocabSize: 97 };
const B = 2;
const T = 16;

async function main(): Promise<void> {
  const weights = initWeights(config, 42);
  // Larger-than-init LayerNorm and bias values so every parameter's path is exercised.
  const rng = new Rng(9);
  for (const s of paramSpecs(config)) if (s.shape.length === 1) weights.get(s.name)!.forEach((_, i, a) => (a[i] = (s.init === 'ones' ? 1 : 0) + 0.1 * rng.normal()));
  exportHuggingFace(join(work, 'hf'), config, weights);
  const tokens = Array.from({ length: B * (T + 1) }, () => rng.int(config.vocabSize));
  const x = BigInt64Array.from({ length: B * T }, (_, i) => BigInt(tokens[Math.floor(i / T) * (T + 1) + (i % T)]!));
  const y = BigInt64Array.from({ length: B * T }, (_, i) => BigInt(tokens[Math.floor(i / T) * (T + 1) + (i % T) + 1]!));
  const specs = paramSpecs(config);
  const paramFeeds = Object.fromEntries(specs.map((s) => [s.name, new ort.Tensor('float32', weights.get(s.name)!, s.shape)]));

  // Forward: full logits and loss.
  const g = new GraphBuilder('reference_forward');
  const params = new Map(specs.map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  const { hidden } = gptForward(g, config, params, g.input('input_ids', 'int64', [B, T]), { kind: 'train', batch: B, seqLen: T });
  const logits = lmHead(g, params, hidden);
  g.output('logits', logits);
  g.output('loss', crossEntropy(g, logits, g.input('targets', 'int64', [B * T])));
  const fwd = await (await createSession(compileToBytes(g))).run({ ...paramFeeds, input_ids: new ort.Tensor('int64', x, [B, T]), targets: new ort.Tensor('int64', y, [B * T]) });

  // One training step.
  const hyper = HyperSchema.parse({ batchSize: B, seqLen: T, lr: 1e-3, weightDecay: 0.1, gradClip: 1.0, beta1: 0.9, beta2: 0.95, eps: 1e-8 });
  const stepSession = await createSession(compileToBytes(buildTrainingStep(config, hyper).graph));
  const batch = { lr: new ort.Tensor('float32', Float32Array.of(hyper.lr), []), input_ids: new ort.Tensor('int64', x, [B, T]), targets: new ort.Tensor('int64', y, [B, T]) };
  const step = await stepSession.run({
    ...paramFeeds,
    ...Object.fromEntries(specs.flatMap((s) => ['m', 'v'].map((p) => [`${p}.${s.name}`, new ort.Tensor('float32', new Float32Array(weights.get(s.name)!.length), s.shape)]))),
    step: new ort.Tensor('float32', Float32Array.of(1), []),
    ...batch,
  });
  // A second step on the same batch exercises the moments and the bias corrections at t = 2.
  const step2 = await stepSession.run({
    ...Object.fromEntries(specs.flatMap((s) => [[s.name, step[`new.${s.name}`]!], [`m.${s.name}`, step[`new.m.${s.name}`]!], [`v.${s.name}`, step[`new.v.${s.name}`]!]])),
    step: new ort.Tensor('float32', Float32Array.of(2), []),
    ...batch,
  });

  // Our KV-cache Generator on the HF export, last-position logits of the prompts.
  const prompt = [Array.from(x.slice(0, 9), Number), Array.from(x.slice(T, T + 9), Number)];
  const gen = await Generator.load(join(work, 'hf'));
  const state = await gen.prefill(prompt);

  // LoRA adapters (B made non-zero) in our layout for the Generator and in PEFT's layout for transformers+peft.
  const lora = { rank: 4, alpha: 8, targets: ['attn.c_attn', 'mlp.c_proj'] as const };
  const adapters = initLora(config, lora, 5);
  for (const [k, v] of adapters) if (k.endsWith('.B')) v.forEach((_, i, arr) => (arr[i] = 0.05 * rng.normal()));
  writeAdapters(join(work, 'ours-adapter'), { lora }, adapters);
  exportPeftLora(join(work, 'peft'), config, lora, adapters);
  const loraGen = await Generator.fromWeights(config, weights, { adapterDir: join(work, 'ours-adapter') });
  const loraState = await loraGen.prefill(prompt);
  await loraGen.close();

  const f32 = (t: ort.Tensor, shape: number[]): SafeTensor => ({ dtype: 'F32', shape, data: t.data as Float32Array });
  const out = new Map<string, SafeTensor>([
    ['input_ids', { dtype: 'I64', shape: [B, T], data: x }],
    ['targets', { dtype: 'I64', shape: [B, T], data: y }],
    ['prompt', { dtype: 'I64', shape: [2, 9], data: BigInt64Array.from(prompt.flat().map(BigInt)) }],
    ['logits', f32(fwd.logits!, [B, T, config.vocabSize])],
    ['loss', f32(fwd.loss!, [])],
    ['grad_norm', f32(step.grad_norm!, [])],
    ['generator_logits', { dtype: 'F32', shape: [2, config.vocabSize], data: state.logits }],
    ['lora_generator_logits', { dtype: 'F32', shape: [2, config.vocabSize], data: loraState.logits }],
    ...specs.map((s): [string, SafeTensor] => [`new.${s.name}`, f32(step[`new.${s.name}`]!, [...s.shape])]),
    ...specs.map((s): [string, SafeTensor] => [`new2.${s.name}`, f32(step2[`new.${s.name}`]!, [...s.shape])]),
  ]);
  writeSafetensors(join(work, 'ours.safetensors'), out);
  writeFileSync(join(work, 'hyper.json'), JSON.stringify(hyper));

  const report = JSON.parse(execFileSync(peerPython(), [join(__dirname, 'torch_reference.py'), work], { encoding: 'utf8' })) as Record<string, number | string[]>;
  console.log(JSON.stringify(report, null, 2));
  const checks: [string, boolean][] = [
    ['logits within 1e-4', (report.logits_max_abs_diff as number) < 1e-4],
    ['loss within 1e-4', (report.loss_abs_diff as number) < 1e-4],
    ['AdamW step params within 1e-5', (report.adamw_params_max_abs_diff as number) < 1e-5],
    ['second AdamW step params within 1e-5', (report.adamw_step2_params_max_abs_diff as number) < 1e-5],
    ['all params compared', (report.params_missing as string[]).length === 0],
    ['transformers on our export matches our Generator within 1e-4', (report.generator_logits_max_abs_diff as number) < 1e-4],
    ['peft loads our LoRA export; logits match our Generator with hot-loaded adapters within 1e-4', (report.lora_logits_max_abs_diff as number) < 1e-4],
    ['the adapters change the logits (the LoRA comparison is not vacuous)', (report.lora_changes_logits as number) > 1e-3],
  ];
  for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  await gen.close();
  rmSync(work, { recursive: true, force: true });
  if (failed) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
