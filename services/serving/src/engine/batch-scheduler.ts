/**
 * Continuous batching at decode-step granularity (Orca, vLLM): one loop per loaded model
 * version runs the whole batch one token forward per step. Between steps, finished requests
 * leave (stop, length or cancel) and waiting ones join, their prompts prefilled together.
 * The batch's KV cache is one contiguous array per layer, so it works in rows, as slots: a
 * leaving request's row is vacated in place (masked, no copy), and newcomers take vacant rows
 * (only their rows are copied in, right-aligned and left-padded); they are merged onto the
 * batch (a copy of the whole cache) only when no rows are free or they are longer than it.
 * The cache is copied down when that pays (compactIfWasteful). Against copying it at every
 * leave and join this decoded ~13% more tokens/s at 32 concurrent clients in waves (the
 * `small` preset's cache is ~47 MB at 32 rows). The queue in front is bounded: when it is
 * full a request is refused at once (429) instead of waiting without limit.
 */
import { type DecodeState, type Generator, KV_CACHE_CHUNK, type Rng, type SamplingOptions, sampleToken } from '@crucible/engine';
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

/**
 * Shared padding worth a copy of the batch to drop: the KV cache grows this many columns at a
 * time, so this much padding is a capacity step the cache need not take.
 */
const TRIM_PADDING_AT = KV_CACHE_CHUNK;

export const yieldToIo = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class BatchScheduler<S extends SchedulableSequence = SchedulableSequence> implements Scheduler<S> {
  private readonly queue: S[] = [];
  /** The batch's rows in cache order; undefined where a row is vacant (its sequence left, Generator.vacate). */
  private slots: (S | undefined)[] = [];
  /** Each row's token for the next decode step (0 in vacant rows). */
  private tokens: number[] = [];
  private live = 0;
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
    return this.live;
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
    while (this.live > 0 || this.queue.length > 0) {
      try {
        await this.admit();
        const sampled = this.sampleAndVacate();
        this.observer.onStep(this.live, this.queue.length, sampled);
        if (this.state) {
          this.compactIfWasteful(this.state);
          await this.generator.decodeStep(this.state!, this.tokens);
        }
      } catch (error) {
        this.failAll(error instanceof Error ? error : new Error(String(error)));
      }
      const pause = this.betweenSteps();
      if (pause) await pause;
    }
  }

  /**
   * Prefills waiting requests and puts them in the batch: into rows vacated by finished
   * requests when there are enough and the newcomers are no longer than the batch (only their
   * rows are copied), else appended by a merge (the whole cache is copied).
   */
  private async admit(): Promise<void> {
    const newcomers: S[] = [];
    while (newcomers.length < this.limits.maxBatch - this.live && this.queue.length > 0) {
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
    this.live += newcomers.length;
    if (!this.state) {
      this.state = fresh;
      this.slots = [...newcomers];
      this.tokens = newcomers.map(() => 0);
      return;
    }
    const vacant = this.slots.flatMap((s, b) => (s ? [] : [b])).slice(0, newcomers.length);
    if (vacant.length === newcomers.length && this.generator.fillRows(this.state, fresh, vacant)) {
      newcomers.forEach((s, i) => (this.slots[vacant[i]!] = s));
    } else {
      this.compact(this.state);
      const running = this.state;
      this.state = this.generator.mergeStates([running, fresh]);
      this.generator.release(running);
      this.slots.push(...newcomers);
      this.tokens.push(...newcomers.map(() => 0));
    }
    this.generator.release(fresh);
  }

  /** Samples each row's next token; rows whose sequence is done (or was cancelled) are vacated. Returns the tokens fed back. */
  private sampleAndVacate(): number {
    const state = this.state;
    if (!state) return 0;
    const V = this.generator.config.vocabSize;
    let sampled = 0;
    this.slots.forEach((sequence, b) => {
      if (!sequence) return;
      let stays = false;
      if (!sequence.finished) {
        try {
          const token = sampleToken(state.logits.subarray(b * V, (b + 1) * V), sequence.request.sampling, sequence.rng);
          stays = sequence.accept(token);
          this.tokens[b] = token;
        } catch (error) {
          sequence.fail(error instanceof Error ? error : new Error(String(error)));
        }
      }
      if (stays) sampled++;
      else this.vacate(b);
    });
    if (this.live === 0) this.state = this.released(state);
    return sampled;
  }

  private vacate(row: number): void {
    this.slots[row] = undefined;
    this.tokens[row] = 0;
    this.live--;
    this.generator.vacate(this.state!, row);
  }

  /**
   * Copies the batch down (vacant rows and the padding every live row shares dropped) once that
   * pays: when vacant rows outnumber live ones (each still costs its share of a decode step),
   * when the shared padding reaches TRIM_PADDING_AT columns (rows that joined later than
   * the ones that left are right-aligned behind columns nobody reads), or when the next step
   * would pass the context.
   */
  private compactIfWasteful(state: DecodeState): void {
    const vacant = this.slots.length - this.live;
    const wasteful = vacant > this.live || this.generator.sharedPadding(state) >= TRIM_PADDING_AT;
    if (wasteful || state.length + 1 > this.generator.config.contextLength) this.compact(state);
  }

  /** The batch without its vacant rows, its shared padding trimmed; replaced states' arrays go back to the generator. */
  private compact(state: DecodeState): void {
    const keep = this.slots.flatMap((s, b) => (s ? [b] : []));
    const selected = keep.length < this.slots.length ? this.generator.selectRows(state, keep) : state;
    const trimmed = this.generator.dropSharedPadding(selected);
    if (trimmed === state) return;
    if (selected !== state && selected !== trimmed) this.generator.release(selected);
    this.generator.release(state);
    this.state = trimmed;
    this.slots = keep.map((b) => this.slots[b]);
    this.tokens = keep.map((b) => this.tokens[b]!);
  }

  private released(state: DecodeState | undefined): undefined {
    if (state) this.generator.release(state);
    this.slots = [];
    this.tokens = [];
    return undefined;
  }

  private failAll(error: Error): void {
    for (const s of this.slots) s?.fail(error);
    this.live = 0;
    this.state = this.released(this.state);
  }

  /** A rough wait for a refused client: the queue ahead drains about one batch per request length. */
  private estimatedWaitSeconds(): number {
    return Math.max(1, Math.ceil(this.queue.length / Math.max(1, this.limits.maxBatch)));
  }
}
