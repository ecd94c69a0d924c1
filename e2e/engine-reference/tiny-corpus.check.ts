/**
 * Trains the `tiny` preset on a small real corpus — the Python language reference topics that
 * ship with CPython (`pydoc_data.topics`: 79 documents, ~465 KB of English prose and code),
 * byte-level tokens, split by document — and checks the validation loss ends clearly below
 * the unigram baseline (the cross-entropy of the train-set byte frequencies on the validation
 * set), then reports the FP16 export's size and perplexity change.
 * Part of `npm run check:engine-reference`; env TINY_STEPS (default 300).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packShard, writeShardFile } from '@crucible/shards';
import { Trainer, fp16Perplexity, presets } from '@crucible/engine';
import { peerPython } from '@crucible/engine/testing';

const EOT = 256;
const STEPS = Number(process.env.TINY_STEPS ?? 300);

/** The pydoc topics, sorted by name, as UTF-8 bytes. */
function corpus(): Uint8Array[] {
  const json = execFileSync(peerPython(), ['-c', 'import json, pydoc_data.topics as t; print(json.dumps(t.topics, sort_keys=True))'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return Object.values(JSON.parse(json) as Record<string, string>).map((text) => new TextEncoder().encode(text));
}

async function main(): Promise<void> {
  const docs = corpus();
  const validation = docs.filter((_, i) => i % 5 === 4);
  const train = docs.filter((_, i) => i % 5 !== 4);
  const work = mkdtempSync(join(tmpdir(), 'tiny-corpus-'));
  const trainShard = join(work, 'train-00000.bin');
  const valShard = join(work, 'validation-00000.bin');
  writeShardFile(trainShard, packShard(train, 'uint16', EOT));
  writeShardFile(valShard, packShard(validation, 'uint16', EOT));
  const count = (ds: Uint8Array[]): number => ds.reduce((n, d) => n + d.length, 0);
  console.log(`corpus: ${docs.length} pydoc topic documents, ${count(train)} train bytes, ${count(validation)} validation bytes`);

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

  const trainer = new Trainer({
    config: { ...presets.tiny, vocabSize: 257 },
    shards: [trainShard],
    validationShards: [valShard],
    hyper: { batchSize: 16, seqLen: 64, maxSteps: STEPS, lr: 3e-3, warmupSteps: 20, minLr: 3e-4, weightDecay: 0.1, evalEvery: STEPS, evalBatches: 16, seed: 1 },
    log: false,
    onProgress: (p) => { if (p.step % 50 === 0 || p.step === STEPS) console.log(`step ${p.step} loss ${p.loss.toFixed(3)} lr ${p.lr.toExponential(2)} norm ${p.gradNorm.toFixed(2)} ${p.tokensPerSec.toFixed(0)} tok/s${p.valLoss !== undefined ? ` val ${p.valLoss.toFixed(3)}` : ''}`); },
  });
  const result = await trainer.run();
  const val = result.valLoss!;
  console.log(`validation loss ${val.toFixed(3)} nats/byte vs unigram baseline ${unigram.toFixed(3)} (uniform ${Math.log(257).toFixed(3)})`);

  // FP16 export: file size and the perplexity change on validation windows.
  const full = trainer.exportOnnx(join(work, 'onnx32'));
  const half = trainer.exportOnnx(join(work, 'onnx16'), { fp16: true });
  const valTokens = validation.flatMap((d) => [EOT, ...d]);
  const windows = Array.from({ length: 32 }, (_, w) => valTokens.slice(w * 64, w * 64 + 65));
  const ppl = await fp16Perplexity(trainer.config, trainer.weights(), windows);
  const change = (ppl.fp16 - ppl.fp32) / ppl.fp32;
  console.log(`ONNX export ${full.bytes} bytes, FP16 ${half.bytes} bytes (×${(half.bytes / full.bytes).toFixed(3)}); perplexity fp32 ${ppl.fp32.toFixed(4)} → fp16 ${ppl.fp16.toFixed(4)} (${(change * 100).toFixed(4)}%)`);
  await trainer.close();
  rmSync(work, { recursive: true, force: true });

  const checks: [string, boolean][] = [
    ['tiny model beats the unigram baseline by more than 0.3 nats', val < unigram - 0.3],
    ['FP16 export is at most 55% of the FP32 size', half.bytes / full.bytes < 0.55],
    ['FP16 perplexity within 1% of FP32', Math.abs(change) < 0.01],
  ];
  for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  const failed = checks.filter(([, ok]) => !ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  if (failed) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
