/**
 * Our side of the cleaning benchmark, run in its own (pinned) process by bench.ts:
 * `node scripts/run-ts.cjs bench/cleaning/ours.worker.ts CORPUS.jsonl MODE` where MODE is
 * `same` (the datatrove filter set: Gopher quality + repetition + MinHash, in-memory LSH
 * index) or `full` (every filter: language, PII, normalisation, SQLite-persisted index).
 * Prints one JSON line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cleanDocument,
  FilterStats,
  MemoryDedupIndex,
  parseCleaningConfig,
  SqliteDedupIndex,
  type CleaningConfigInput,
  type DedupIndex,
} from '@crucible/curation';

const SAME: CleaningConfigInput = {
  html: { enabled: false },
  language: { enabled: false },
  pii: { enabled: false },
  dedup: { exact: false },
};

async function main(): Promise<void> {
  const [corpus, mode = 'same'] = process.argv.slice(2);
  if (!corpus) throw new Error('usage: ours.worker.ts CORPUS.jsonl same|full');
  const docs = readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { id: string; text: string });
  const config = parseCleaningConfig(mode === 'same' ? SAME : {});
  const dir = mkdtempSync(join(tmpdir(), 'crucible-bench-cleaning-'));
  const makeIndex = (): DedupIndex =>
    mode === 'same' ? new MemoryDedupIndex() : new SqliteDedupIndex({ path: join(dir, 'dedup.sqlite'), minhash: config.dedup });
  // Warm-up pass on a slice so the JIT has compiled the hot paths (datatrove's side warms its tokenizer).
  const warm = makeIndex();
  for (const d of docs.slice(0, 200)) await cleanDocument({ ...d, metadata: {} }, config, warm);
  await warm.close();
  rmSync(join(dir, 'dedup.sqlite'), { force: true });

  const index = makeIndex();
  const stats = new FilterStats();
  const passedGopher: string[] = [];
  const nearRemoved: string[] = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const d of docs) {
    const r = await cleanDocument({ id: d.id, text: d.text, metadata: {} }, config, index, stats);
    if (r.kind === 'cleaned' || !r.filter.startsWith('gopher_')) passedGopher.push(d.id);
    if (r.kind === 'rejected' && r.filter === 'near_dedup') nearRemoved.push(d.id);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await index.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ docs: docs.length, seconds, cpuSeconds, passedGopher, nearRemoved, stats: stats.snapshot() })}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
