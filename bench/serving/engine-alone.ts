/**
 * The peer of bench:serving: the engine called directly — waves of `concurrency` prompts as one
 * static batch through `Generator.stream`, with tokenization and incremental UTF-8 decoding, no
 * HTTP, no scheduler. It runs on its own worker thread, as the gateway decodes on its engine
 * thread: both sides then decode in a thread with a small heap of its own, and neither pays for
 * the other's garbage (on the bench's main thread, whose heap holds the tokenizer training and
 * the corpus, collections made the engine look slower than the gateway). Timings are taken in the
 * worker (engine-alone.worker.ts), where the tokens appear, and sent back when a level ends.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DECODE_THREAD_RESOURCE_LIMITS } from '@crucible/engine';
import { tsWorkerSource } from '@crucible/service-kit';

export interface RequestTiming {
  ttftMs: number;
  e2eMs: number;
  itlMs: number[];
  outputTokens: number;
}

export interface LevelRequest {
  readonly prompts: readonly string[];
  readonly concurrency: number;
  /** Tokens per request (EngineAloneOptions.maxTokens when absent). */
  readonly maxTokens?: number;
}

export interface EngineAloneOptions {
  readonly modelDir: string;
  readonly threads: number;
  readonly maxTokens: number;
}

/** The main thread's handle on the worker: one level at a time. */
export class EngineAlone {
  private pending: { resolve: (r: { timings: RequestTiming[]; wallMs: number }) => void; reject: (e: Error) => void } | undefined;
  private reloaded: { resolve: () => void; reject: (e: Error) => void } | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (result: { timings: RequestTiming[]; wallMs: number } | 'ready') => (result === 'ready' ? this.reloaded?.resolve() : this.pending?.resolve(result)));
    worker.on('error', (error) => {
      this.pending?.reject(error);
      this.reloaded?.reject(error);
    });
  }

  static async start(options: EngineAloneOptions): Promise<EngineAlone> {
    // The gateway's engine thread's limits too: the sides differ only by what the gateway adds.
    const worker = new Worker(tsWorkerSource(join(__dirname, 'engine-alone.worker.ts')), { eval: true, workerData: options, resourceLimits: DECODE_THREAD_RESOURCE_LIMITS });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new EngineAlone(worker);
  }

  /** Runs the prompts in waves of `concurrency`; resolves with each request's timing and the level's wall time. */
  level(prompts: readonly string[], concurrency: number, maxTokens?: number): Promise<{ timings: RequestTiming[]; wallMs: number }> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage({ prompts, concurrency, ...(maxTokens !== undefined && { maxTokens }) } satisfies LevelRequest);
    });
  }

  /**
   * Loads the model again in a new session (the thread stays: onnxruntime-node 1.30 crashes in a
   * new thread after a terminated one). Two loads of one model decode at different speeds (where
   * each one's buffers land), so the bench draws fresh loads on this side as on the gateway's.
   */
  reload(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.reloaded = { resolve, reject };
      this.worker.postMessage('reload');
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
