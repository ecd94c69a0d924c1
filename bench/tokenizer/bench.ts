/**
 * `npm run bench:tokenizer [-- --encode-mb 12 --train-mb 100 --vocab 32000 --skip-train]`
 *
 * 1. Encoding: ≥ 10 MB of English (State of the Union) and multilingual (UDHR, 532 languages)
 *    text with ours, js-tiktoken, gpt-tokenizer and tiktoken WASM, for gpt2 and cl100k_base.
 * 2. Training: a 32k vocabulary on a ≥ 100 MB corpus (the same documents repeated) with ours and
 *    Hugging Face `tokenizers` (Python, RAYON_NUM_THREADS=1), same pre-tokenisation and settings.
 * The last three lines are the ratios the tracker asks for.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CL100K_PATTERN } from '@crucible/tokenizer';
import { englishDocuments, ensurePython, multilingualDocuments, utf8Bytes, type Document } from '@crucible/tokenizer/testing';
import { runEncodeBench, type EncodeRow } from './encode-bench';
import { writeTrainCorpus } from './train-corpus';
import { reportMachineLoad } from '../machine-load';

interface TrainRow {
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  vocab: number;
}

function take(docs: readonly Document[], bytes: number): Document[] {
  const out: Document[] = [];
  let n = 0;
  for (const d of docs) {
    if (n >= bytes) break;
    out.push(d);
    n += Buffer.byteLength(d.text);
  }
  return out;
}

function printEncode(vocab: string, rows: EncodeRow[]): void {
  const ours = rows[0]!;
  console.log(`\nencode ${vocab}:`);
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(14)} ${r.mbPerSecond.toFixed(2).padStart(7)} MB/s  ${r.seconds.toFixed(2).padStart(7)} s  ${String(r.tokens).padStart(9)} tokens  ` +
        `ours/this ${(ours.mbPerSecond / r.mbPerSecond).toFixed(2)}×  ${r.mismatchedDocuments === 0 ? 'ids agree' : `${r.mismatchedDocuments} documents differ`}`,
    );
  }
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv = {}): TrainRow {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TrainRow;
}

async function main(): Promise<void> {
  reportMachineLoad();
  const { values } = parseArgs({
    options: {
      'encode-mb': { type: 'string', default: '12' },
      'train-mb': { type: 'string', default: '100' },
      vocab: { type: 'string', default: '32000' },
      'skip-train': { type: 'boolean', default: false },
    },
  });
  const encodeBytes = Number(values['encode-mb']) * 1e6;
  const english = englishDocuments();
  const multilingual = multilingualDocuments();
  // Warm-up on documents outside the measured set so no cache sees measured text early.
  const warmup = [...english.slice(-3), ...multilingual.slice(-20)];
  const docs = [...take(english.slice(0, -3), encodeBytes * 0.6), ...take(multilingual.slice(0, -20), encodeBytes * 0.4)];
  const nonAscii = docs.reduce((n, d) => n + Buffer.byteLength(d.text.replace(/[\x00-\x7f]+/g, '')), 0);
  console.log(
    `corpus: ${docs.length} documents, ${(utf8Bytes(docs) / 1e6).toFixed(1)} MB UTF-8 (SOTU English + UDHR in ${multilingual.length} languages; ` +
      `${((100 * nonAscii) / utf8Bytes(docs)).toFixed(0)}% of bytes beyond ASCII); node ${process.version}, single thread`,
  );

  const totals = new Map<string, { mb: number; seconds: number }>();
  for (const vocab of ['cl100k_base', 'gpt2'] as const) {
    const rows = runEncodeBench(vocab, docs, warmup);
    printEncode(vocab, rows);
    for (const r of rows) {
      const t = totals.get(r.name) ?? { mb: 0, seconds: 0 };
      totals.set(r.name, { mb: t.mb + r.mbPerSecond * r.seconds, seconds: t.seconds + r.seconds });
    }
  }
  const rate = (name: string) => totals.get(name)!.mb / totals.get(name)!.seconds;

  let trainRatio = Number.NaN;
  if (!values['skip-train']) {
    const trainMb = Number(values['train-mb']);
    const dir = join(homedir(), '.cache', 'crucible', 'bench-tokenizer');
    mkdirSync(dir, { recursive: true });
    const corpus = join(dir, `train-${trainMb}mb.jsonl`);
    const written = writeTrainCorpus(corpus, trainMb * 1e6);
    console.log(`\ntrain: vocab ${values.vocab} on ${(written.bytes / 1e6).toFixed(0)} MB (${corpus}; SOTU + UDHR documents repeated to reach the size), min frequency 2, cl100k pre-tokenisation`);
    const python = ensurePython(['tokenizers'], ['tokenizers']);
    const ours = runChild(process.execPath, [join(__dirname, '..', '..', 'scripts', 'run-ts.cjs'), join(__dirname, 'train-ours.ts'), corpus, values.vocab!]);
    const hfVersion = execFileSync(python, ['-c', 'import tokenizers; print(tokenizers.__version__)'], { encoding: 'utf8' }).trim();
    const hf = runChild(python, [join(__dirname, 'train_hf.py'), corpus, values.vocab!, CL100K_PATTERN], { RAYON_NUM_THREADS: '1' });
    for (const [name, r] of [['ours', ours], [`hf tokenizers ${hfVersion}`, hf]] as const) {
      console.log(`  ${name.padEnd(22)} ${r.seconds.toFixed(1).padStart(7)} s wall  ${r.cpuSeconds.toFixed(1).padStart(7)} s CPU  peak RSS ${r.maxRssMB.toFixed(0)} MB  vocab ${r.vocab}`);
    }
    console.log(`  train CPU-time ratio (hf ÷ ours): ${(hf.cpuSeconds / ours.cpuSeconds).toFixed(2)}`);
    trainRatio = hf.seconds / ours.seconds;
  }

  console.log(`\nreproduce: npm run bench:tokenizer -- --encode-mb ${values['encode-mb']} --train-mb ${values['train-mb']} --vocab ${values.vocab}`);
  console.log(`encode MB/s over both vocabularies: ${[...totals.keys()].map((n) => `${n} ${rate(n).toFixed(2)}`).join(', ')}`);
  console.log(`encode_ratio_vs_js_tiktoken=${(rate('ours') / rate('js-tiktoken')).toFixed(2)}`);
  console.log(`encode_ratio_vs_tiktoken_wasm=${(rate('ours') / rate('tiktoken-wasm')).toFixed(2)}`);
  console.log(`train_ratio_vs_hf_tokenizers=${Number.isNaN(trainRatio) ? 'skipped' : trainRatio.toFixed(2)}`);
}

void main();
