/**
 * Engine reference check against PyTorch/transformers, as a function (run by
 * `npm run check:engine-reference` via reference.check.ts and by reference.integration.test.ts).
 * On a tiny GPT-2 with identical weights: our logits and loss match transformers within
 * 1e-4; one training step (clip + AdamW) gives the same params within 1e-5, and so does a
 * second (moments, bias corrections at t = 2); transformers loads our HF export and its logits
 * match our KV-cache Generator's; peft loads our LoRA export and matches our Generator with
 * hot-loaded adapters. The PyTorch side is torch_reference.py in the bench venv (python.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GraphBuilder, Generator, HyperSchema, Rng, buildTrainingStep, compileToBytes, createSession, crossEntropy, exportHuggingFace,
  exportPeftLora, gptForward, initLora, initWeights, lmHead, paramSpecs, presets, writeAdapters, writeSafetensors, type SafeTensor,
} from '@crucible/engine';
import * as ort from 'onnxruntime-node';
import { referencePython } from './python';

/** What torch_reference.py prints: max |ours − PyTorch| per quantity, plus context. */
export interface TorchReport {
  readonly logits_max_abs_diff: number;
  readonly loss_torch: number;
  readonly loss_ours: number;
  readonly loss_abs_diff: number;
  readonly grad_norm_torch: number;
  readonly grad_norm_ours: number;
  readonly adamw_params_max_abs_diff: number;
  readonly adamw_step2_params_max_abs_diff: number;
  readonly params_compared: number;
  readonly params_missing: string[];
  readonly generator_logits_max_abs_diff: number;
  readonly lora_logits_max_abs_diff: number;
  readonly lora_changes_logits: number;
}

export interface Check {
  readonly name: string;
  readonly ok: boolean;
}

export interface EngineReferenceResult {
  readonly report: TorchReport;
  /** Our parameter tensors (PyTorch's, tied lm_head aside, must all be compared). */
  readonly paramCount: number;
  /** The tolerances the checks apply (max abs difference allowed). */
  readonly tolerances: { readonly logits: number; readonly loss: number; readonly adamwParams: number; readonly generatorLogits: number; readonly loraLogits: number; readonly loraMinEffect: number };
  readonly checks: readonly Check[];
  readonly ok: boolean;
}

export const TOLERANCES: EngineReferenceResult['tolerances'] = { logits: 1e-4, loss: 1e-4, adamwParams: 1e-5, generatorLogits: 1e-4, loraLogits: 1e-4, loraMinEffect: 1e-3 };

const config = { ...presets.tiny, vocabSize: 97 };
const B = 2;
const T = 16;

/** Runs our side, then torch_reference.py on the same weights and batch (in `python`, default: the bench venv, installed on first use). */
export async function runEngineReference(python: string = referencePython()): Promise<EngineReferenceResult> {
  const work = mkdtempSync(join(tmpdir(), 'engine-reference-'));
  const closers: (() => Promise<void>)[] = [];
  try {
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
    closers.push(() => gen.close());
    const state = await gen.prefill(prompt);

    // LoRA adapters (B made non-zero) in our layout for the Generator and in PEFT's layout for transformers+peft.
    const lora = { rank: 4, alpha: 8, targets: ['attn.c_attn', 'mlp.c_proj'] as const };
    const adapters = initLora(config, lora, 5);
    for (const [k, v] of adapters) if (k.endsWith('.B')) v.forEach((_, i, arr) => (arr[i] = 0.05 * rng.normal()));
    writeAdapters(join(work, 'ours-adapter'), { lora }, adapters);
    exportPeftLora(join(work, 'peft'), config, lora, adapters);
    const loraGen = await Generator.fromWeights(config, weights, { adapterDir: join(work, 'ours-adapter') });
    closers.push(() => loraGen.close());
    const loraState = await loraGen.prefill(prompt);

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

    const run = spawnSync(python, [join(__dirname, 'torch_reference.py'), work], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`torch_reference.py failed (${run.error?.message ?? `exit ${run.status}`}): ${run.stderr}`);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TorchReport;
    const tol = TOLERANCES;
    const checks: Check[] = [
      { name: 'logits within 1e-4', ok: report.logits_max_abs_diff < tol.logits },
      { name: 'loss within 1e-4', ok: report.loss_abs_diff < tol.loss },
      { name: 'AdamW step params within 1e-5', ok: report.adamw_params_max_abs_diff < tol.adamwParams },
      { name: 'second AdamW step params within 1e-5', ok: report.adamw_step2_params_max_abs_diff < tol.adamwParams },
      { name: 'all params compared', ok: report.params_missing.length === 0 && report.params_compared === specs.length },
      { name: 'transformers on our export matches our Generator within 1e-4', ok: report.generator_logits_max_abs_diff < tol.generatorLogits },
      { name: 'peft loads our LoRA export; logits match our Generator with hot-loaded adapters within 1e-4', ok: report.lora_logits_max_abs_diff < tol.loraLogits },
      { name: 'the adapters change the logits (the LoRA comparison is not vacuous)', ok: report.lora_changes_logits > tol.loraMinEffect },
    ];
    return { report, paramCount: specs.length, tolerances: tol, checks, ok: checks.every((c) => c.ok) };
  } finally {
    for (const close of closers) await close();
    rmSync(work, { recursive: true, force: true });
  }
}
