/**
 * Continuous batching at decode-step granularity (Orca, vLLM): one loop per loaded model
 * version runs the whole batch one token forward per step. Between steps, waiting requests
 * join (their prompts are prefilled together, then their KV cache is merged into the
 * batch's, left-padded), and finished ones leave (stop, length or cancel: their rows are
 * dropped and padding no row needs any more is trimmed). The queue in front is bounded:
 * when it is full a request is refused at once (429) instead of waiting without limit.
 */
import { type DecodeState, type Generator, type Rng, type SamplingOptions, sampleToken } from '@crucible/engine';
import { QueueFullError, ServiceUnavailableError } from '../serving.errors';

/** What the scheduler needs of a request: `Sequence` on the main thread, `EngineRow` on the engine worker. */
export interface SchedulableSequence {
  readonly request: { readonly promptTokens: readonly number[]; readonly sampling: SamplingOptions };
  readonly rng: Rng;
  readonly finished: boolean;
  /** Takes the sampled token; false when the sequence is done (the token is not fed back). */
  accept(token: number): boolean;
  fail(error: Error): void;
}

/** A version's scheduler as the HTTP layer sees it: in this thread (BatchScheduler) or on a worker (WorkerScheduler). */
export interface Scheduler<S = SchedulableSequence> {
  readonly versionId: string;
  readonly queued: number;
  readonly batchSize: number;
  submit(sequence: S): void;
  close(): Promise<void>;
}

export interface SchedulerLimits {
  /** Rows decoded together; more wait in the queue. */
  readonly maxBatch: number;
  /** Requests waiting to join the batch; one more is refused with 429. */
  readonly maxQueue: number;
}

/**
 * What the loop does between decode steps. The default hands the event loop a turn (HTTP,
 * timers, I/O on this thread run between steps); the engine thread, which has no HTTP, passes
 * one that takes its messages synchronously and yields only now and then.
 */
export type BetweenSteps = () => Promise<void> | void;

export interface SchedulerObserver {
  /** After each decode step: rows in the batch, requests waiting, tokens sampled in this step. */
  onStep(batch: number, queued: number, tokens: number): void;
  /** The engine thread handed this many tokens to the main thread in one message (engine thread only). */
  onHandover?(tokens: number): void;
}

export const yieldToIo = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class BatchScheduler<S extends SchedulableSequence = SchedulableSequence> implements Scheduler<S> {
  private readonly queue: S[] = [];
  private rows: S[] = [];
  private state: DecodeState | undefined;
  private loop: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly versionId: string,
    private readonly generator: Generator,
    private readonly limits: SchedulerLimits,
    private readonly observer: SchedulerObserver = { onStep: () => undefined },
    private readonly betweenSteps: BetweenSteps = yieldToIo,
  ) {}

  get queued(): number {
    return this.queue.length;
  }

  get batchSize(): number {
    return this.rows.length;
  }

  submit(sequence: S): void {
    if (this.closed) throw new ServiceUnavailableError(`${this.versionId} is being unloaded`);
    if (this.queue.length >= this.limits.maxQueue) throw new QueueFullError(this.versionId, this.estimatedWaitSeconds());
    this.queue.push(sequence);
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
  }

  /** Refuses new work and waits until every admitted request has finished. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.loop) await this.loop;
  }

  private async run(): Promise<void> {
    while (this.rows.length > 0 || this.queue.length > 0) {
      try {
        await this.admit();
        const tokens = this.sampleAndPrune();
        this.observer.onStep(this.rows.length, this.queue.length, tokens.length);
        if (this.state && tokens.length > 0) await this.generator.decodeStep(this.state, tokens);
      } catch (error) {
        this.failAll(error instanceof Error ? error : new Error(String(error)));
      }
      const pause = this.betweenSteps();
      if (pause) await pause;
    }
  }

  /** Prefills waiting requests into the free rows and merges them into the running batch. */
  private async admit(): Promise<void> {
    const newcomers: S[] = [];
    while (newcomers.length < this.limits.maxBatch - this.rows.length && this.queue.length > 0) {
      const next = this.queue.shift()!;
      if (!next.finished) newcomers.push(next);
    }
    if (newcomers.length === 0) return;
    let fresh: DecodeState;
    try {
      fresh = await this.generator.prefill(newcomers.map((s) => s.request.promptTokens));
    } catch (error) {
      for (const s of newcomers) s.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.state) {
      const running = this.state;
      this.state = this.generator.mergeStates([running, fresh]);
      this.generator.release(running);
      this.generator.release(fresh);
    } else {
      this.state = fresh;
    }
    this.rows.push(...newcomers);
  }

  /** Samples each row's next token; rows that finished (or were cancelled) leave the batch. */
  private sampleAndPrune(): number[] {
    if (!this.state) return [];
    const V = this.generator.config.vocabSize;
    const logits = this.state.logits;
    const keep: number[] = [];
    const tokens: number[] = [];
    this.rows.forEach((sequence, b) => {
      if (sequence.finished) return;
      try {
        const token = sampleToken(logits.subarray(b * V, (b + 1) * V), sequence.request.sampling, sequence.rng);
        if (sequence.accept(token)) {
          keep.push(b);
          tokens.push(token);
        }
      } catch (error) {
        sequence.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (keep.length < this.rows.length) {
      this.rows = keep.map((b) => this.rows[b]!);
      this.state = keep.length > 0 ? this.keepRows(this.state, keep) : this.released(this.state);
    }
    return tokens;
  }

  /** The batch without the rows that left, its padding trimmed; the old state's arrays go back to the generator. */
  private keepRows(state: DecodeState, keep: readonly number[]): DecodeState {
    const selected = this.generator.selectRows(state, keep);
    const trimmed = this.generator.dropSharedPadding(selected);
    if (trimmed !== selected) this.generator.release(selected);
    this.generator.release(state);
    return trimmed;
  }

  private released(state: DecodeState | undefined): undefined {
    if (state) this.generator.release(state);
    return undefined;
  }

  private failAll(error: Error): void {
    for (const s of this.rows) s.fail(error);
    this.rows = [];
    this.state = this.released(this.state);
  }

  /** A rough wait for a refused client: the queue ahead drains about one batch per request length. */
  private estimatedWaitSeconds(): number {
    return Math.max(1, Math.ceil(this.queue.length / Math.max(1, this.limits.maxBatch)));
  }
}
