/**
 * One completion being generated: its prompt, sampling settings and seeded RNG, the
 * incremental UTF-8 decoding of its tokens, stop handling, and the callbacks through which
 * the HTTP layer receives text. The scheduler owns when it runs; this owns what it emits.
 */
import { Rng, type SamplingOptions } from '@crucible/engine';
import type { Tokenizer } from '@crucible/tokenizer';
import { StopText } from './stop-text';

export type FinishReason = 'stop' | 'length' | 'cancelled' | 'content_filter';

export interface SequenceRequest {
  readonly promptTokens: readonly number[];
  readonly maxTokens: number;
  readonly sampling: SamplingOptions;
  readonly seed: number;
  readonly stop: readonly string[];
  /**
   * How many tokens the engine thread may gather before handing them to this thread (default
   * 1: every step). Tokens up to the first text and the last token are handed over at once;
   * the engine thread ends a row on its stop strings itself. A JSON answer needs nothing
   * before its end (Infinity); a guarded stream nothing between guardrail checks (its chunk).
   */
  readonly deliverEvery?: number;
}

export interface SequenceListener {
  /** New text (possibly empty when a token completes no character yet); `tokens` = completion tokens so far. */
  onText(text: string, tokens: number): void;
  onFinish(reason: FinishReason, completionTokens: number): void;
  onError(error: Error): void;
}

export class Sequence {
  readonly rng: Rng;
  readonly enqueuedAt = performance.now();
  private readonly decoder = new TextDecoder('utf-8');
  private readonly stopText: StopText;
  private produced = 0;
  private finishReason: FinishReason | undefined;
  private cancelRequested = false;

  constructor(
    readonly request: SequenceRequest,
    private readonly tokenizer: Tokenizer,
    readonly stopTokens: readonly number[],
    private readonly listener: SequenceListener,
  ) {
    this.rng = new Rng(request.seed);
    this.stopText = new StopText(request.stop);
  }

  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  get cancelled(): boolean {
    return this.cancelRequested;
  }

  get completionTokens(): number {
    return this.produced;
  }

  /** The client went away or a guardrail stopped the output: the row leaves at the next step. */
  cancel(reason: FinishReason = 'cancelled'): void {
    if (this.finished) return;
    this.cancelRequested = true;
    this.finish(reason);
  }

  /** Takes the sampled token; returns false when the sequence is done (the token is not fed back). */
  accept(token: number): boolean {
    if (this.finished) return false;
    if (this.stopTokens.includes(token)) {
      this.emit(this.tail());
      this.finish('stop');
      return false;
    }
    this.produced++;
    const scan = this.stopText.push(this.decoder.decode(this.tokenizer.decodeBytes([token]), { stream: true }));
    if (scan.stopped) {
      this.emit(scan.emit);
      this.finish('stop');
      return false;
    }
    if (this.produced >= this.request.maxTokens) {
      this.emit(scan.emit + this.tail());
      this.finish('length');
      return false;
    }
    this.listener.onText(scan.emit, this.produced);
    return true;
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finishReason = 'cancelled';
    this.listener.onError(error);
  }

  /** Bytes of an unfinished character and held-back text, once nothing more will follow. */
  private tail(): string {
    const rest = this.stopText.push(this.decoder.decode());
    return rest.stopped ? rest.emit : rest.emit + this.stopText.flush();
  }

  private emit(text: string): void {
    if (text) this.listener.onText(text, this.produced);
  }

  private finish(reason: FinishReason): void {
    if (this.finished) return;
    this.finishReason = reason;
    this.listener.onFinish(reason, this.produced);
  }
}
