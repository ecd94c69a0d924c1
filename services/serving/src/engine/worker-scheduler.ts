/**
 * The main thread's side of a version loaded on the engine thread (engine-thread.ts): the
 * same `Scheduler` the HTTP layer uses for an in-thread BatchScheduler. Requests are sent to
 * the engine thread; each step's tokens come back and go through the request's `Sequence`
 * (text, stop strings, guardrail) — each step's, or a few steps' at once for a sequence paced
 * to gather them (SequenceRequest.deliverEvery). Rows end on the engine thread by the same rules
 * (stop token, max tokens, stop text) and say so; a sequence that ends only here (content filter,
 * client gone) is cancelled on the engine thread, which drops the row at its next step: at most
 * a step of decoding is wasted, never a token sent. The queue bound is kept here (rows
 * beyond the batch), so a full queue is still refused at once.
 */
import { QueueFullError, ServiceUnavailableError } from '../serving.errors';
import type { Scheduler, SchedulerObserver } from './batch-scheduler';
import type { EngineVersionSpec, FromEngine } from './engine-protocol';
import { EngineThread, toError } from './engine-thread';
import type { Sequence } from './sequence';

export class WorkerScheduler implements Scheduler<Sequence> {
  /** Submitted and not finished: the rows in the batch, then the queue. */
  private readonly sequences = new Map<number, Sequence>();
  private batch = 0;
  private closing: Promise<void> | undefined;
  private onUnloaded: (() => void) | undefined;
  private key = '';

  private constructor(
    readonly versionId: string,
    private readonly spec: EngineVersionSpec,
    private readonly engine: EngineThread,
    private readonly observer: SchedulerObserver,
  ) {}

  /** Loads the version on the engine thread; resolves once it is ready (rejects with the load error). */
  static async start(spec: EngineVersionSpec, observer: SchedulerObserver = { onStep: () => undefined }): Promise<WorkerScheduler> {
    const scheduler = new WorkerScheduler(spec.versionId, spec, EngineThread.shared(), observer);
    await new Promise<void>((resolve, reject) => {
      scheduler.key = scheduler.engine.register(spec.versionId, (message) => {
        if (message.type === 'loaded') resolve();
        else if (message.type === 'load-failed' || (message.type === 'failed' && message.ids.length === 0)) reject(toError(message.error));
        else scheduler.receive(message);
      });
      scheduler.engine.send({ type: 'load', key: scheduler.key, spec });
    }).catch((error: unknown) => {
      scheduler.engine.unregister(scheduler.key);
      throw error;
    });
    return scheduler;
  }

  /** Requests beyond the batch's rows, as BatchScheduler counts its queue. */
  get queued(): number {
    return Math.max(0, this.sequences.size - this.spec.limits.maxBatch);
  }

  get batchSize(): number {
    return this.batch;
  }

  submit(sequence: Sequence): void {
    if (this.closing) throw new ServiceUnavailableError(`${this.versionId} is being unloaded`);
    const { maxQueue, maxBatch } = this.spec.limits;
    if (this.queued >= maxQueue) throw new QueueFullError(this.versionId, Math.max(1, Math.ceil(this.queued / Math.max(1, maxBatch))));
    const id = this.engine.rowId();
    this.sequences.set(id, sequence);
    const { promptTokens, maxTokens, sampling, seed, stop, deliverEvery = 1 } = sequence.request;
    this.engine.send({ type: 'submit', key: this.key, id, request: { promptTokens, maxTokens, sampling, seed, stop, stopTokens: sequence.stopTokens, deliverEvery } });
  }

  /** Refuses new work, lets every admitted request finish, then releases the version's session. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.onUnloaded = resolve;
      this.engine.send({ type: 'unload', key: this.key });
    }).finally(() => this.engine.unregister(this.key));
    return this.closing;
  }

  private receive(message: FromEngine): void {
    switch (message.type) {
      case 'step':
        message.ids.forEach((id, i) => {
          const sequence = this.sequences.get(id);
          if (!sequence) return;
          // A row the engine thread ended is gone there already; a cancel would only wake it.
          if (!sequence.accept(message.tokens[i]!)) this.forget(id, !message.ended.includes(id));
        });
        // Both sides end a row by the same rules; should they ever disagree, the engine thread will
        // send nothing more for it, so the request fails loudly instead of waiting for ever.
        for (const id of message.ended) {
          this.sequences.get(id)?.fail(new Error(`the engine thread ended row ${id} before its sequence ended`));
          this.forget(id, false);
        }
        // Ended here between steps (client gone, content filter): tell the engine thread.
        for (const [id, sequence] of this.sequences) if (sequence.finished) this.forget(id);
        this.batch = message.batches.at(-1) ?? this.batch;
        this.observer.onHandover?.(message.tokens.length);
        message.batches.forEach((batch, i) => this.observer.onStep(batch, this.queued, message.sampled[i]!));
        break;
      case 'failed': {
        const error = toError(message.error);
        const ids = message.ids.length > 0 ? message.ids : [...this.sequences.keys()]; // none named: the engine thread failed
        for (const id of ids) {
          this.sequences.get(id)?.fail(error);
          this.forget(id, false);
        }
        if (message.ids.length === 0) this.onUnloaded?.();
        break;
      }
      case 'unloaded':
        this.onUnloaded?.();
        break;
    }
  }

  private forget(id: number, tellEngine = true): void {
    if (!this.sequences.delete(id)) return;
    if (tellEngine) this.engine.send({ type: 'cancel', key: this.key, id });
  }
}
