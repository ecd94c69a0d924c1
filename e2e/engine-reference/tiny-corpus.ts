/**
 * Trains the `tiny` preset on a small real corpus — the Python language reference topics that
 * ship with CPython (`pydoc_data.topics`: ~80 documents, ~465 KB of English prose and code),
 * byte-level tokens, split by document — and measures the validation loss against the unigram
 * baseline (the cross-entropy of the train-set byte frequencies on the validation set), resumes
 * a checkpoint taken `resumeTail` steps before the end and compares the continuation, and
 * measures the FP16 export's size and perplexity change. Run by tiny-corpus.check.ts
 * (`npm run check:engine-reference`) and reference.integration.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packShard, writeShardFile } from '@crucible/shards';
import { Trainer, fp16Perplexity, presets, type TrainerOptions } from '@crucible/engine';
import type { Check } from './reference';
import { referencePython } from './python';

const EOT = 256;
/** Steps for the CLI and the test: ~10 s on 2 cores, ending ~0.58 nats/byte below the unigram baseline. */
export const DEFAULT_TINY_STEPS = 300;

export interface TinyCorpusOptions {
  /** Optimizer steps (batch 16 × 64 bytes each). */
  readonly steps: number;
  /** The checkpoint to resume is taken this many steps before the end. */
  readonly resumeTail?: number;
  /** Any python3 has pydoc_data; default: the reference python. */
  readonly python?: string;
  /** Progress lines (the CLI passes console.log). */
  readonly log?: (line: string) => void;
}

export interface TinyCorpusResult {
  readonly documents: number;
  readonly trainBytes: number;
  readonly validationBytes: number;
  readonly steps: number;
  /** Mean training loss per step (nats/byte). */
  readonly losses: readonly number[];
  /** Validation loss after the last step (nats/byte). */
  readonly valLoss: number;
  readonly unigramBaseline: number;
  readonly uniform: number;
  /** How far below the unigram baseline the validation loss must be. */
  readonly requiredMargin: number;
  readonly resume: { readonly fromStep: number; readonly losses: readonly number[]; readonly valLoss: number };
  readonly export: { readonly fp32Bytes: number; readonly fp16Bytes: number; readonly pplFp32: number; readonly pplFp16: number; readonly pplChange: number };
  readonly checks: readonly Check[];
  readonly ok: boolean;
  readonly seconds: number;
}

/** The pydoc topics, sorted by name, as UTF-8 bytes. */
function corpus(python: string): Uint8Array[] {
  const json = execFileSync(python, ['-c', 'import json, pydoc_data.topics as t; print(json.dumps(t.topics, sort_keys=True))'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return Object.values(JSON.parse(json) as Record<string, string>).map((text) => new TextEncoder().encode(text));
}

export async function runTinyCorpus(options: TinyCorpusOptions): Promise<TinyCorpusResult> {
  const started = Date.now();
  const { steps, resumeTail = 10, log = () => {} } = options;
  const fromStep = steps - resumeTail;
  const docs = corpus(options.python ?? referencePython());
  const validation = docs.filter((_, i) => i % 5 === 4);
  const train = docs.filter((_, i) => i % 5 !== 4);
  const work = mkdtempSync(join(tmpdir(), 'tiny-corpus-'));
  const trainers: Trainer[] = [];
  try {
    const trainShard = join(work, 'train-00000.bin');
    const valShard = join(work, 'validation-00000.bin');
    writeShardFile(trainShard, packShard(train, 'uint16', EOT));
    writeShardFile(valShard, packShard(validation, 'uint16', EOT));
    const count = (ds: Uint8Array[]): number => ds.reduce((n, d) => n + d.length, 0);
    log(`corpus: ${docs.length} pydoc topic documents, ${count(train)} train bytes, ${count(validation)} validation bytes`);

    // Unigram baseline: train frequencies (add-one), cross-entropy on validation (EOT included, as the model sees it).
    const freq = new Float64Array(257).fill(1);
    for (const d of train) {
      freq[EOT]! += 1;
      for (const b of d) freq[b]! += 1;
    }
    const sum = freq.reduce((a, b) => a + b, 0);
    let nll = 0;
    let n = 0;
    for (const d of validation) {
      nll -= Math.log(freq[EOT]! / sum);
      for (const b of d) nll -= Math.log(freq[b]! / sum);
      n += d.length + 1;
    }
    const unigram = nll / n;

    let checkpoint: string | undefined;
    const trainerOptions: TrainerOptions = {
      config: { ...presets.tiny, vocabSize: 257 },
      shards: [trainShard],
      validationShards: [valShard],
      hyper: { batchSize: 16, seqLen: 64, maxSteps: steps, lr: 3e-3, warmupSteps: 20, minLr: 3e-4, weightDecay: 0.1, evalEvery: steps, evalBatches: 16, seed: 1, checkpointEvery: fromStep },
      log: false,
    };
    const trainer = new Trainer({
      ...trainerOptions,
      checkpointDir: join(work, 'checkpoints'),
      onProgress: (p) => {
        if (p.step === fromStep) checkpoint = p.checkpoint;
        if (p.step % 50 === 0 || p.step === steps) log(`step ${p.step} loss ${p.loss.toFixed(3)} lr ${p.lr.toExponential(2)} norm ${p.gradNorm.toFixed(2)} ${p.tokensPerSec.toFixed(0)} tok/s${p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(3)}` : ''}`);
      },
    });
    trainers.push(trainer);
    const result = await trainer.run();
    const val = result.valLoss!;
    log(`validation loss ${val.toFixed(3)} nats/byte vs unigram baseline ${unigram.toFixed(3)} (uniform ${Math.log(257).toFixed(3)})`);

    // Resume the checkpoint taken resumeTail steps before the end in a fresh trainer.
    if (!checkpoint) throw new Error(`no checkpoint was written at step ${fromStep}`);
    const resumed = new Trainer(trainerOptions);
    trainers.push(resumed);
    const rr = await resumed.resume(checkpoint);
    const resumeExact = rr.losses.length === result.losses.length && rr.losses.every((l, i) => l === result.losses[i]) && rr.valLoss === val;
    log(`resumed the step-${fromStep} checkpoint: ${resumeExact ? 'identical' : 'DIFFERENT'} losses for steps ${fromStep + 1}..${steps} and validation loss (${rr.valLoss?.toFixed(6)} vs ${val.toFixed(6)})`);

    // FP16 export: file size and the perplexity change on validation windows.
    const full = trainer.exportOnnx(join(work, 'onnx32'));
    const half = trainer.exportOnnx(join(work, 'onnx16'), { fp16: true });
    const valTokens = validation.flatMap((d) => [EOT, ...d]);
    const windows = Array.from({ length: 32 }, (_, w) => valTokens.slice(w * 64, w * 64 + 65));
    const ppl = await fp16Perplexity(trainer.config, trainer.weights(), windows);
    const change = (ppl.fp16 - ppl.fp32) / ppl.fp32;
    log(`ONNX export ${full.bytes} bytes, FP16 ${half.bytes} bytes (×${(half.bytes / full.bytes).toFixed(3)}); perplexity fp32 ${ppl.fp32.toFixed(4)} → fp16 ${ppl.fp16.toFixed(4)} (${(change * 100).toFixed(4)}%)`);

    const requiredMargin = 0.3;
    const checks: Check[] = [
      { name: `tiny model beats the unigram baseline by more than ${requiredMargin} nats`, ok: val < unigram - requiredMargin },
      { name: `resuming a checkpoint continues the exact loss sequence (steps ${fromStep + 1}..${steps}) and validation loss`, ok: resumeExact },
      { name: 'FP16 export is at most 55% of the FP32 size', ok: half.bytes / full.bytes < 0.55 },
      { name: 'FP16 perplexity within 1% of FP32', ok: Math.abs(change) < 0.01 },
    ];
    return {
      documents: docs.length, trainBytes: count(train), validationBytes: count(validation), steps, losses: result.losses, valLoss: val,
      unigramBaseline: unigram, uniform: Math.log(257), requiredMargin,
      resume: { fromStep, losses: rr.losses, valLoss: rr.valLoss! },
      export: { fp32Bytes: full.bytes, fp16Bytes: half.bytes, pplFp32: ppl.fp32, pplFp16: ppl.fp16, pplChange: change },
      checks, ok: checks.every((c) => c.ok), seconds: (Date.now() - started) / 1000,
    };
  } finally {
    for (const t of trainers) await t.close();
    rmSync(work, { recursive: true, force: true });
  }
}
