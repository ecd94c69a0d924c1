/**
 * The peer of bench:serving: the engine called directly — waves of `concurrency` prompts as one
 * static batch through `Generator.stream`, with tokenization and incremental UTF-8 decoding, no
 * HTTP, no scheduler. It runs on its own worker thread, as the gateway decodes on its engine
 * thread: both sides then decode in a thread with a small heap of its own, and neither pays for
 * the other's garbage (on the bench's main thread, whose heap holds the tokenizer training and
 * the corpus, collections made the engine look slower than the gateway). Timings are taken in the
 * worker, where the tokens appear, and sent back when a level ends.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TextModel } from '@crucible/model-artifact';

export interface RequestTiming {
  ttftMs: number;
  e2eMs: number;
  itlMs: number[];
  outputTokens: number;
}

interface LevelRequest {
  readonly prompts: readonly string[];
  readonly concurrency: number;
}

interface EngineAloneOptions {
  readonly modelDir: string;
  readonly threads: number;
  readonly maxTokens: number;
}

/** The main thread's handle on the worker: one level at a time. */
export class EngineAlone {
  private pending: { resolve: (r: { timings: RequestTiming[]; wallMs: number }) => void; reject: (e: Error) => void } | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (result: { timings: RequestTiming[]; wallMs: number }) => this.pending?.resolve(result));
    worker.on('error', (error) => this.pending?.reject(error));
  }

  static async start(options: EngineAloneOptions): Promise<EngineAlone> {
    const worker = new Worker(`require(${JSON.stringify(registerScript())}); require(${JSON.stringify(__filename)});`, { eval: true, workerData: options });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new EngineAlone(worker);
  }

  /** Runs the prompts in waves of `concurrency`; resolves with each request's timing and the level's wall time. */
  level(prompts: readonly string[], concurrency: number): Promise<{ timings: RequestTiming[]; wallMs: number }> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ prompts, concurrency } satisfies LevelRequest);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function registerScript(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'register.cjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`scripts/register.cjs not found above ${__dirname}`);
  }
}

async function serve(): Promise<void> {
  const { modelDir, threads, maxTokens } = workerData as EngineAloneOptions;
  // The gateway's session options (SERVING_ORT_SPIN_WAIT=false): the sides differ only by what the gateway adds.
  const model = await TextModel.load(modelDir, { threads, spinWait: false });
  const eot = model.eotToken;
  parentPort!.postMessage('ready');
  parentPort!.on('message', async ({ prompts, concurrency }: LevelRequest) => {
    const timings: RequestTiming[] = [];
    const t0 = performance.now();
    for (let at = 0; at < prompts.length; at += concurrency) {
      const wave = prompts.slice(at, at + concurrency);
      const w0 = performance.now();
      const ids = wave.map((p) => model.encode(p));
      const rows = wave.map(() => ({ first: undefined as number | undefined, last: 0, itl: [] as number[], tokens: 0, end: 0 }));
      const decoders = wave.map(() => new TextDecoder());
      for await (const step of model.generator.stream(ids, { maxTokens, temperature: 0, ...(eot !== undefined && { stopTokens: [eot] }) })) {
        const now = performance.now();
        step.forEach((token, b) => {
          if (token === null || token === eot) return;
          const row = rows[b]!;
          row.tokens++;
          if (decoders[b]!.decode(model.tokenizer.decodeBytes([token]), { stream: true }).length === 0) return;
          if (row.first === undefined) row.first = now;
          else row.itl.push(now - row.last);
          row.last = now;
          row.end = now;
        });
        for (const [b, token] of step.entries()) if (token === eot || token === null) rows[b]!.end ||= now;
      }
      const done = performance.now();
      for (const row of rows) timings.push({ ttftMs: (row.first ?? done) - w0, e2eMs: (row.end || done) - w0, itlMs: row.itl, outputTokens: row.tokens });
    }
    parentPort!.postMessage({ timings, wallMs: performance.now() - t0 });
  });
}

if (!isMainThread) void serve();
