/**
 * Runs each attempt in a worker process on this machine (child_process.fork of
 * train-worker.ts through scripts/run-ts.cjs), talking over IPC. One worker per run; the
 * ORT thread count is part of the job (hyper.threads), so several runs can share the cores.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { JobExit, LaunchHandle, LaunchListener, Launcher, TrainingJob } from '../launcher';
import type { FromWorker, ToWorker } from './worker-protocol';

const WORKER_ENTRY = join(__dirname, 'train-worker.ts');
/** How long a cancelled or closing worker gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 5_000;

/** The repository's TypeScript runner, found upward from this file (works from sources and under Vitest). */
export function findRunTs(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'run-ts.cjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`scripts/run-ts.cjs not found above ${from}`);
  }
}

interface Worker {
  readonly child: ChildProcess;
  cancelled: boolean;
}

export interface LocalLauncherOptions {
  /** Receives the worker's stderr lines (stack traces of crashes); default: this process's stderr. */
  readonly onWorkerOutput?: (runId: string, line: string) => void;
}

export class LocalLauncher implements Launcher {
  readonly kind = 'local' as const;
  private readonly workers = new Map<string, Worker>();
  private readonly runTs = findRunTs();
  private closing = false;

  constructor(private readonly options: LocalLauncherOptions = {}) {}

  launch(job: TrainingJob, listener: LaunchListener): LaunchHandle {
    if (this.workers.has(job.runId)) throw new Error(`run ${job.runId} already has a worker`);
    const child = fork(this.runTs, [WORKER_ENTRY], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    const worker: Worker = { child, cancelled: false };
    this.workers.set(job.runId, worker);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        if (this.options.onWorkerOutput) this.options.onWorkerOutput(job.runId, line);
        else process.stderr.write(`[train-worker ${job.runId}] ${line}\n`);
      }
    });
    let finished = false;
    let failure: { message: string; retriable: boolean } | undefined;
    child.on('message', (message: FromWorker) => {
      if (message.type === 'progress') listener.onProgress(message);
      else if (message.type === 'checkpoint') listener.onCheckpoint(message);
      else if (message.type === 'finished') {
        finished = true;
        listener.onFinished(message);
      } else failure = { message: message.message, retriable: message.retriable };
    });
    const exit = new Promise<JobExit>((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        this.workers.delete(job.runId);
        if (worker.cancelled) resolve({ outcome: 'cancelled' });
        else if (this.closing && !finished) resolve({ outcome: 'stopped' });
        else if (finished && code === 0) resolve({ outcome: 'finished' });
        else if (failure) resolve({ outcome: 'failed', reason: failure.message, retriable: failure.retriable });
        else {
          const how = error ? `could not start: ${error.message}` : signal ? `was killed by ${signal}` : `exited with code ${code}`;
          // A crash, SIGKILL or the OOM killer: nothing says the job itself is wrong, so it may be retried.
          resolve({ outcome: 'failed', reason: `training worker ${how}`, retriable: true });
        }
      };
      // 'close', not 'exit': by then every IPC message the worker sent has been delivered.
      child.once('close', (code, signal) => settle(code, signal));
      child.once('error', (error) => {
        if (child.exitCode === null && child.signalCode === null && !child.pid) settle(null, null, error);
      });
    });
    child.send({ type: 'start', job } satisfies ToWorker);
    return { runId: job.runId, exit };
  }

  async cancel(runId: string): Promise<boolean> {
    const worker = this.workers.get(runId);
    if (!worker) return false;
    worker.cancelled = true;
    await stop(worker.child);
    return true;
  }

  /** The worker of a run, for tests that kill it the hard way. */
  pidOf(runId: string): number | undefined {
    return this.workers.get(runId)?.child.pid;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.workers.values()].map((w) => stop(w.child)));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
