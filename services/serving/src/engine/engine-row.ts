/**
 * A request as the engine thread runs it: its RNG, its end (stop token, max tokens, or a stop
 * string, found exactly as the main thread's Sequence finds it: the same bytes through the same
 * incremental UTF-8 decoding and StopText), and, for pacing, the tokens sampled and not yet
 * posted to the main thread (SequenceRequest.deliverEvery): each token until the row's first
 * text (time to first token), then groups, then the last token at once. Pure bookkeeping, no
 * thread: the worker (engine-worker.ts) posts what `takeDue` returns after each step's sampling.
 */
import { Rng } from '@crucible/engine';
import type { SchedulableSequence } from './batch-scheduler';
import type { RowRequest } from './engine-protocol';
import { StopText } from './stop-text';

/** A token's bytes (the tokenizer's `decodeBytes` of one id). */
export type TokenBytes = (token: number) => Uint8Array;

export class EngineRow implements SchedulableSequence {
  readonly rng: Rng;
  finished = false;
  /** Sampled and not yet posted. */
  pending: number[] = [];
  private produced = 0;
  /** True when the token completes one of the request's stop strings; absent without any. */
  private readonly completesStop: ((token: number) => boolean) | undefined;
  /** True on the token with which the row's bytes first decode to a character (asked until then). */
  private readonly bringsFirstText: (token: number) => boolean;
  /** The row has produced text; until then each token is posted at once. */
  private spoke = false;

  constructor(
    readonly id: number,
    readonly request: RowRequest,
    /** Rows with tokens to post after this step's sampling (shared by the version's rows). */
    private readonly due: Set<EngineRow>,
    private readonly onFail: (row: EngineRow, error: Error) => void,
    tokenBytes?: TokenBytes,
  ) {
    this.rng = new Rng(request.seed);
    this.completesStop = request.stop.length > 0 && tokenBytes ? stopWatch(request.stop, tokenBytes) : undefined;
    this.bringsFirstText = tokenBytes ? firstText(tokenBytes) : () => true;
  }

  accept(token: number): boolean {
    if (this.finished) return false;
    this.pending.push(token);
    if (this.request.stopTokens.includes(token) || ++this.produced >= this.request.maxTokens || this.completesStop?.(token)) this.finished = true;
    // Each token until the first text is out (time to first token; a token may be half a
    // character), the last at once, the rest when the main thread wants them.
    const silent = !this.spoke;
    if (silent) this.spoke = this.bringsFirstText(token);
    if (silent || this.finished || this.pending.length >= this.request.deliverEvery) this.due.add(this);
    return !this.finished;
  }

  /** The main thread is done with the row: nothing more is posted for it. */
  cancel(): void {
    this.finished = true;
    this.due.delete(this);
  }

  fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.onFail(this, error);
  }
}

/** True from the token on which the row's bytes first decode to a character (its first text). */
function firstText(tokenBytes: TokenBytes): (token: number) => boolean {
  const decoder = new TextDecoder('utf-8');
  return (token) => decoder.decode(tokenBytes(token), { stream: true }).length > 0;
}

/** Sequence.accept's stop-string test on one row's tokens, in order. */
function stopWatch(stops: readonly string[], tokenBytes: TokenBytes): (token: number) => boolean {
  const decoder = new TextDecoder('utf-8');
  const text = new StopText(stops);
  return (token) => text.push(decoder.decode(tokenBytes(token), { stream: true })).stopped;
}

/** The due rows' pending tokens as one message's parallel arrays (a row's tokens in order), emptied; and the rows that finished. */
export function takeDue(due: Set<EngineRow>): { ids: number[]; tokens: number[]; finished: EngineRow[] } {
  const ids: number[] = [];
  const tokens: number[] = [];
  const finished: EngineRow[] = [];
  for (const row of due) {
    for (const token of row.pending) {
      ids.push(row.id);
      tokens.push(token);
    }
    row.pending = [];
    if (row.finished) finished.push(row);
  }
  due.clear();
  return { ids, tokens, finished };
}
