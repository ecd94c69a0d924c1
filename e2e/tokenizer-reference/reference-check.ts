/**
 * Trains tokenizers with ours (GPT-2 and cl100k pre-tokenisation), writes them as
 * tokenizer.json, and has Hugging Face `tokenizers` (Python) encode held-out text with them:
 * the ids must be identical. Also checks that gpt2 exported through tokenizer.json matches, and
 * the other direction: a tokenizer trained and saved by HF, loaded by us, gives HF's ids.
 * Training text: State of the Union addresses and UDHR translations (@crucible/tokenizer/testing);
 * held-out cases: other addresses, other languages, and edge cases (code, emoji, whitespace).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CL100K_PATTERN, getEncoding, loadTokenizer, saveTokenizer, trainBpe, type Tokenizer } from '@crucible/tokenizer';
import { englishDocuments, ensurePython, multilingualDocuments } from '@crucible/tokenizer/testing';

export interface ReferenceCheckOptions {
  readonly outDir: string;
  /** Approximate UTF-8 bytes of training text. */
  readonly trainBytes: number;
  readonly vocabSize: number;
}

export interface ReferenceCheckResult {
  readonly ok: boolean;
  readonly summary: { tokenizers_version: string; results: { file: string; cases: number; tokens: number; mismatch_count: number; mismatches: unknown[] }[] };
}

const EDGE_CASES = [
  "It's 3:45pm — we've got 12,345.67 reasons; THEY'LL see.",
  'function add(a, b) {\n  return a + b; // sum\n}\n\n\n    indented\tand\ttabs  \n',
  'Emoji 🎉🔥👍🏽 👨‍👩‍👧‍👦 🏳️‍🌈 and CJK 日本語のテキスト 中文 한국어',
  ' '.repeat(40) + 'x' + '\n'.repeat(7) + ' \r\n\r\n end',
  'combining e\u0301 a\u0308, zero\u200bwidth, nbsp\u00a0here',
  'first document<|endoftext|>second document',
];

function split(docs: { text: string }[], budget: number): [string[], string[]] {
  const train: string[] = [];
  const held: string[] = [];
  let bytes = 0;
  docs.forEach((d, i) => {
    if (i % 5 === 4) held.push(d.text);
    else if (bytes < budget) {
      train.push(d.text);
      bytes += Buffer.byteLength(d.text);
    }
  });
  return [train, held];
}

export async function runReferenceCheck(options: ReferenceCheckOptions): Promise<ReferenceCheckResult> {
  mkdirSync(options.outDir, { recursive: true });
  const [enTrain, enHeld] = split(englishDocuments(), options.trainBytes * 0.7);
  const [mlTrain, mlHeld] = split(multilingualDocuments(), options.trainBytes * 0.3);
  const texts = [...enHeld.slice(0, 8), ...mlHeld.slice(0, 60), ...EDGE_CASES];
  const tokenizers: [string, Tokenizer][] = [];
  for (const pattern of ['gpt2', 'cl100k'] as const) {
    const trained = await trainBpe([...enTrain, ...mlTrain], { vocabSize: options.vocabSize, pattern, name: `trained-${pattern}` });
    tokenizers.push([`trained-${pattern}.tokenizer.json`, trained]);
  }
  tokenizers.push(['gpt2.tokenizer.json', getEncoding('gpt2')]);
  const entries = [];
  for (const [file, tokenizer] of tokenizers) {
    await saveTokenizer(tokenizer, join(options.outDir, file), 'hf-json');
    entries.push({ file, ids: texts.map((t) => tokenizer.encode(t, { allowedSpecial: 'all' })) });
  }
  writeFileSync(join(options.outDir, 'cases.json'), JSON.stringify({ texts, tokenizers: entries, pattern: CL100K_PATTERN, vocab_size: options.vocabSize }));
  writeFileSync(join(options.outDir, 'train.json'), JSON.stringify([...enTrain, ...mlTrain]));
  const python = ensurePython(['tokenizers'], ['tokenizers']);
  const run = spawnSync(python, [join(__dirname, 'check.py'), options.outDir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`check.py failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ReferenceCheckResult['summary'];
  const hfTrained = await loadTokenizer(join(options.outDir, 'hf-trained.tokenizer.json'));
  const hfIds = JSON.parse(readFileSync(join(options.outDir, 'hf-trained.ids.json'), 'utf8')) as number[][];
  const mismatches = texts.flatMap((t, i) => {
    const ours = hfTrained.encode(t, { allowedSpecial: 'all' });
    return JSON.stringify(ours) === JSON.stringify(hfIds[i]) ? [] : [{ case: i, ours: ours.slice(0, 5), hf: hfIds[i]!.slice(0, 5) }];
  });
  summary.results.push({
    file: 'hf-trained.tokenizer.json (trained and saved by HF, encoded by us)',
    cases: texts.length,
    tokens: hfIds.reduce((n, ids) => n + ids.length, 0),
    mismatch_count: mismatches.length,
    mismatches: mismatches.slice(0, 5),
  });
  return { ok: run.status === 0 && mismatches.length === 0, summary };
}
