/**
 * Runs one reconciler: keys come from informers (and a periodic resync) into a rate-limited
 * work queue; workers reconcile one key at a time each. A reconcile that throws is retried
 * with per-key exponential backoff; one that returns `requeueAfterMs` is looked at again then
 * (time-driven work such as rollout steps). Reconcilers are level-based: they re-read state,
 * so a dropped or duplicated trigger is harmless.
 */
import type { Logger } from '@crucible/service-kit';
import { type ObjectKey, keyOf, parseKey } from './object-key';
import { WorkQueue, type WorkQueueOptions } from './work-queue';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

export interface Reconciler {
  readonly name: string;
  reconcile(key: ObjectKey): Promise<ReconcileResult | void>;
}

export interface ControllerOptions extends WorkQueueOptions {
  workers?: number;
}

export class Controller {
  readonly queue: WorkQueue;
  private running: Promise<void>[] = [];
  private readonly workers: number;

  constructor(
    private readonly reconciler: Reconciler,
    private readonly logger: Logger,
    options: ControllerOptions = {},
  ) {
    this.queue = new WorkQueue(options);
    this.workers = options.workers ?? 2;
  }

  enqueue(key: ObjectKey): void {
    this.queue.add(keyOf(key));
  }

  start(): void {
    for (let i = 0; i < this.workers; i++) this.running.push(this.work());
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await Promise.all(this.running);
    this.running = [];
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        const result = await this.reconciler.reconcile(parseKey(key));
        this.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        const delay = this.queue.addRateLimited(key);
        this.logger.warn(
          { err: error, key, controller: this.reconciler.name, retryInMs: delay, failures: this.queue.failuresOf(key) },
          'reconcile failed',
        );
      } finally {
        this.queue.done(key);
      }
    }
  }
}
