/**
 * Batched generation on the KV-cache decoder graph. Step-level API for the serving
 * gateway's continuous batching: `prefill(prompts) → state` (prompts left-padded, masked
 * out through the additive attention bias), `decodeStep(state, tokens) → logits`; on top
 * of it `generate()` and the streaming `stream()` with greedy / temperature / top-k /
 * top-p sampling, stop tokens and stop sequences, seeded.
 *
 * @example
 * const gen = await Generator.load('runs/tiny/export');
 * const [out] = await gen.generate([[1, 2, 3]], { maxTokens: 20, temperature: 0 });
 */
import { EngineError } from '../engine.errors';
import type * as ortTypes from 'onnxruntime-node';
import { importHuggingFace } from '../interop/hf-gpt2';
import { type GptConfig, headDim } from '../model/gpt.config';
import type { Weights } from '../model/gpt.params';
import { createSession, type ExecutionProvider, ort } from '../runtime/ort.session';
import { prefixPast } from '../model/prompt-tuning';
import { readAdapters } from '../train/checkpoint';
import { PROMPT_EMBEDDINGS } from '../train/training-step.graph';
import { Rng } from '../train/rng';
import { compileDecoder } from './decoder.graph';
import { type CacheShape, type KvArrays, KvArrayPool, allocate, capacityFor, copyColumns, rowPairs, withCapacity, writeNew, zeroColumns } from './kv-cache';
import { type SamplingOptions, sampleToken } from './sampler';

const MASKED = -1e9;
/**
 * The padding of a vacant row: every column of it counts as padding, so each of its queries
 * attends to itself only (finite softmax, meaningless logits) at position 0 until a newcomer
 * takes the row (`fillRows`) or the batch is compacted (`selectRows`).
 */
const VACANT = Number.POSITIVE_INFINITY;

export interface GeneratorOptions {
  readonly executionProviders?: readonly ExecutionProvider[];
  readonly threads?: number;
  /** ORT intra-op threads spin between calls (default true); see SessionOptions.spinWait. */
  readonly spinWait?: boolean;
  /** Store weights as FP16 in the graph (halves memory; computes in float32). */
  readonly fp16?: boolean;
  /** LoRA adapters kept separate from the base weights (a directory written by `writeAdapters`/`exportAdapters`). */
  readonly adapterDir?: string;
  /** Bytes of released KV-cache arrays kept for reuse (default 64 MiB); see KvArrayPool. */
  readonly kvPoolBytes?: number;
}

const DEFAULT_KV_POOL_BYTES = 64 * 2 ** 20;
/** What a released state's cache becomes: a later step on it fails instead of reading recycled arrays. */
const RELEASED: KvArrays = Object.freeze({ batch: 0, capacity: 0, arrays: [] });

export interface GenerateOptions extends SamplingOptions {
  readonly maxTokens: number;
  /** Token sequences that end a row (not included in its output). */
  readonly stop?: readonly (readonly number[])[];
  /** Single tokens that end a row (e.g. end-of-text; not included). */
  readonly stopTokens?: readonly number[];
  readonly seed?: number;
}

/**
 * KV-cache state of a batch: opaque to callers except for its logits. Its owner hands it back
 * with `Generator.release` once it is done with it (or replaced it by a merged or row-selected
 * state), so the next batch reuses its arrays.
 */
export interface DecodeState {
  readonly batch: number;
  /** Left padding per row; VACANT for a row that holds no sequence (see `vacate`). */
  readonly pad: number[];
  /** Columns in the cache (padding included). */
  length: number;
  /** The cache arrays (B, H, capacity, hd) per layer; see kv-cache.ts. */
  cache: KvArrays;
  /** (B, V) logits of each row's last position. */
  logits: Float32Array;
}

export class GenerationError extends EngineError<'CONTEXT_EXCEEDED'> {
  constructor(message: string) {
    super('CONTEXT_EXCEEDED', message);
  }
}

export class Generator {
  private constructor(
    readonly config: GptConfig,
    private readonly session: ortTypes.InferenceSession,
    /** Prompt-tuning prefix keys/values per layer (1, H, n, hd); empty without prompt tuning. */
    private readonly prefix: readonly ortTypes.Tensor[],
    private readonly pool: KvArrayPool,
  ) {}

  private get prefixLen(): number {
    return this.prefix[0]?.dims[2] ?? 0;
  }

  /** Loads a model directory in the Hugging Face GPT-2 layout. */
  static async load(modelDir: string, options: GeneratorOptions = {}): Promise<Generator> {
    const { config, weights } = importHuggingFace(modelDir);
    return Generator.fromWeights(config, weights, options);
  }

  static async fromWeights(config: GptConfig, weights: Weights, options: GeneratorOptions = {}): Promise<Generator> {
    const adapter = options.adapterDir ? readAdapters(options.adapterDir) : undefined;
    const lora = adapter && 'lora' in adapter.kind ? { lora: adapter.kind.lora, adapters: adapter.adapters } : {};
    const bytes = compileDecoder(config, weights, { fp16: options.fp16 ?? false, ...lora });
    const prompt = adapter && 'promptTokens' in adapter.kind ? adapter.adapters.get(PROMPT_EMBEDDINGS) : undefined;
    const prefix = prompt ? await prefixPast(config, weights, prompt, options) : [];
    return new Generator(config, await createSession(bytes, options), prefix, new KvArrayPool(options.kvPoolBytes ?? DEFAULT_KV_POOL_BYTES));
  }

  private get cacheShape(): CacheShape {
    return { heads: this.config.nHead, headDim: headDim(this.config) };
  }

  private async run(state: DecodeState, tokens: readonly (readonly number[])[], T: number): Promise<void> {
    const B = state.batch;
    const P = state.length;
    const S = P + T;
    if (S > this.config.contextLength) throw new GenerationError(`sequence of ${S} tokens exceeds the context of ${this.config.contextLength}`);
    if (state.cache === RELEASED) throw new Error('decode state used after Generator.release');
    const cap = state.cache.capacity;
    const ids = new BigInt64Array(B * T);
    const positions = new BigInt64Array(B * T);
    // Cache columns: [prompt-tuning prefix (n)] [left padding] [tokens] [unused up to cap].
    const pastBias = new Float32Array(B * T * cap).fill(MASKED);
    const newBias = new Float32Array(B * T * T).fill(MASKED);
    const n = this.prefixLen;
    for (let b = 0; b < B; b++) {
      const pad = state.pad[b]!;
      for (let t = 0; t < T; t++) {
        const col = P + t;
        ids[b * T + t] = BigInt(tokens[b]![t]!);
        positions[b * T + t] = BigInt(Math.max(0, col - pad));
        // A query sees the prefix and its own row's real tokens up to itself; a pad query sees itself only (keeps softmax finite).
        const from = col < n + pad ? col : n + pad;
        const pastRow = (b * T + t) * cap;
        pastBias.fill(0, pastRow, pastRow + Math.min(n, P));
        if (from < P) pastBias.fill(0, pastRow + from, pastRow + P);
        const newRow = (b * T + t) * T;
        newBias.fill(0, newRow + Math.max(0, from - P), newRow + t + 1);
      }
    }
    const { heads: H, headDim: hd } = this.cacheShape;
    const feeds: Record<string, ortTypes.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, T]),
      position_ids: new ort.Tensor('int64', positions, [B, T]),
      past_bias: new ort.Tensor('float32', pastBias, [B, 1, T, cap]),
      new_bias: new ort.Tensor('float32', newBias, [B, 1, T, T]),
    };
    for (let l = 0; l < this.config.nLayer; l++) {
      feeds[`past.${l}.key`] = new ort.Tensor('float32', state.cache.arrays[2 * l]!, [B, H, cap, hd]);
      feeds[`past.${l}.value`] = new ort.Tensor('float32', state.cache.arrays[2 * l + 1]!, [B, H, cap, hd]);
    }
    const out = await this.session.run(feeds);
    const fresh = Array.from({ length: this.config.nLayer }, (_, l) => [out[`new.${l}.key`]!.data, out[`new.${l}.value`]!.data] as Float32Array[]).flat();
    state.cache = withCapacity(this.cacheShape, state.cache, P, S, this.pool);
    writeNew(this.cacheShape, state.cache, fresh, P, T);
    state.length = S;
    state.logits = out.logits!.data as Float32Array;
  }

  /** Runs the prompts (left-padded to one length) and returns the cache state with last-position logits. */
  async prefill(prompts: readonly (readonly number[])[]): Promise<DecodeState> {
    if (prompts.length === 0 || prompts.some((p) => p.length === 0)) throw new GenerationError('prefill needs non-empty prompts');
    const T = Math.max(...prompts.map((p) => p.length));
    const pad = prompts.map((p) => T - p.length);
    const padded = prompts.map((p, b) => [...new Array<number>(pad[b]!).fill(0), ...p]);
    const B = prompts.length;
    const n = this.prefixLen;
    const cache = allocate(this.cacheShape, this.config.nLayer, B, capacityFor(n + T), this.pool);
    // The prompt-tuning prefix (if any) starts every row's cache.
    this.prefix.forEach((t, i) => {
      const one = t.data as Float32Array; // (1, H, n, hd)
      const { heads: H, headDim: hd } = this.cacheShape;
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) cache.arrays[i]!.set(one.subarray(h * n * hd, (h + 1) * n * hd), ((b * H + h) * cache.capacity) * hd);
      }
    });
    const state: DecodeState = { batch: B, pad, length: n, cache, logits: new Float32Array() };
    try {
      await this.run(state, padded, T);
    } catch (error) {
      this.release(state);
      throw error;
    }
    return state;
  }

  /** Hands a state's cache arrays back for reuse; the state must not be decoded again. Releasing twice is harmless. */
  release(state: DecodeState): void {
    if (state.cache === RELEASED) return;
    this.pool.give(state.cache.arrays);
    state.cache = RELEASED;
  }

  /** Appends one token per row; returns the new (B, V) logits (also in state.logits). */
  async decodeStep(state: DecodeState, tokens: readonly number[]): Promise<Float32Array> {
    await this.run(state, tokens.map((t) => [t]), 1);
    return state.logits;
  }

  /** Streams one event per decode step: the token chosen for each row, or null once a row has stopped. */
  async *stream(prompts: readonly (readonly number[])[], options: GenerateOptions): AsyncGenerator<(number | null)[]> {
    const rng = new Rng(options.seed ?? 0);
    const V = this.config.vocabSize;
    const state = await this.prefill(prompts);
    const done = prompts.map(() => false);
    const produced: number[][] = prompts.map(() => []);
    const maxTokens = Math.min(options.maxTokens, this.config.contextLength - state.length);
    try {
      for (let i = 0; i < maxTokens; i++) {
        const chosen = done.map((d, b) => (d ? null : sampleToken(state.logits.subarray(b * V, (b + 1) * V), options, rng)));
        chosen.forEach((t, b) => {
          if (t === null) return;
          produced[b]!.push(t);
          if (options.stopTokens?.includes(t) || options.stop?.some((s) => s.length > 0 && endsWith(produced[b]!, s))) done[b] = true;
        });
        yield chosen;
        if (done.every(Boolean) || i === maxTokens - 1) return;
        await this.decodeStep(state, chosen.map((t) => t ?? 0));
      }
    } finally {
      this.release(state); // also when the consumer stops early (return() runs this)
    }
  }

  /** Generated tokens per prompt (stop tokens and stop sequences removed). */
  async generate(prompts: readonly (readonly number[])[], options: GenerateOptions): Promise<number[][]> {
    const out: number[][] = prompts.map(() => []);
    for await (const step of this.stream(prompts, options)) step.forEach((t, b) => t !== null && out[b]!.push(t));
    return out.map((tokens) => {
      if (tokens.length && options.stopTokens?.includes(tokens[tokens.length - 1]!)) return tokens.slice(0, -1);
      const s = options.stop?.find((seq) => seq.length > 0 && endsWith(tokens, seq));
      return s ? tokens.slice(0, tokens.length - s.length) : tokens;
    });
  }

  /**
   * Joins batches into one (continuous batching): shorter caches are left-padded to the
   * longest, after the prompt-tuning prefix, and the padding is masked like prompt padding.
   * The given states are left as they were (release them when done).
   */
  mergeStates(states: readonly DecodeState[]): DecodeState {
    const length = Math.max(...states.map((s) => s.length));
    const n = this.prefixLen;
    const B = states.reduce((k, s) => k + s.batch, 0);
    const V = this.config.vocabSize;
    const cache = allocate(this.cacheShape, this.config.nLayer, B, capacityFor(length + 1), this.pool);
    const logits = new Float32Array(B * V);
    let row = 0;
    for (const s of states) {
      const shift = length - s.length; // zeros where padding is inserted
      const rows = Array.from({ length: s.batch }, (_, b) => [b, row + b] as const);
      copyColumns(this.cacheShape, s.cache, cache, rows, [[0, n, 0], [n, s.length, n + shift]]);
      logits.set(s.logits.subarray(0, s.batch * V), row * V);
      row += s.batch;
    }
    return { batch: B, pad: states.flatMap((s) => s.pad.map((p) => p + length - s.length)), length, cache, logits };
  }

  /**
   * Frees a row of the batch in place: it stays in the batch, masked, until `fillRows` gives it
   * to a newcomer or `selectRows` drops it. Continuous batching without copying the whole cache
   * each time a request finishes: at 32 rows the `small` preset's cache is ~47 MB, and copying
   * it out took ~30 ms per leave (merging a newcomer in, ~20 ms).
   */
  vacate(state: DecodeState, row: number): void {
    state.pad[row] = VACANT;
  }

  isVacant(state: DecodeState, row: number): boolean {
    return state.pad[row] === VACANT;
  }

  /** Left-padding columns every occupied row has (what `dropSharedPadding` would drop); 0 with no occupied row. */
  sharedPadding(state: DecodeState): number {
    let shared = VACANT; // the scheduler asks every step: no array built for it
    for (const p of state.pad) if (p < shared) shared = p;
    return shared === VACANT ? 0 : shared;
  }

  /**
   * Moves the rows of `incoming` (a fresh prefill) into vacant rows of `state`, in order:
   * each newcomer's columns end at the batch's last column, left-padded like a merge. Only
   * those rows are copied. False (and nothing changed) when they do not fit: a newcomer longer
   * than the batch, or a target row that is not vacant; then merge instead. `incoming` is left
   * as it was (release it).
   */
  fillRows(state: DecodeState, incoming: DecodeState, rows: readonly number[]): boolean {
    if (incoming.length > state.length || rows.length !== incoming.batch || rows.some((r) => !this.isVacant(state, r))) return false;
    const n = this.prefixLen;
    const shift = state.length - incoming.length;
    const V = this.config.vocabSize;
    const pairs = rows.map((target, b) => [b, target] as const);
    copyColumns(this.cacheShape, incoming.cache, state.cache, pairs, [[0, n, 0], [n, incoming.length, n + shift]]);
    zeroColumns(this.cacheShape, state.cache, rows, n, n + shift); // the padding: no stale keys of the row's last tenant
    rows.forEach((target, b) => {
      state.logits.set(incoming.logits.subarray(b * V, (b + 1) * V), target * V);
      state.pad[target] = incoming.pad[b]! + shift;
    });
    return true;
  }

  /** Keeps only the given rows of a batch (finished requests leave), in a new state. */
  selectRows(state: DecodeState, rows: readonly number[]): DecodeState {
    const V = this.config.vocabSize;
    const cache = allocate(this.cacheShape, this.config.nLayer, rows.length, state.cache.capacity, this.pool);
    copyColumns(this.cacheShape, state.cache, cache, rows.map((r, i) => [r, i] as const), [[0, state.length, 0]]);
    const logits = new Float32Array(rows.length * V);
    rows.forEach((r, i) => logits.set(state.logits.subarray(r * V, (r + 1) * V), i * V));
    return { batch: rows.length, pad: rows.map((r) => state.pad[r]!), length: state.length, cache, logits };
  }

  /**
   * Drops cache columns that are left padding in every row (after the prompt-tuning prefix).
   * Rows leave a continuous batch while newcomers join it; without this the cache would keep
   * the padding of rows long gone and grow past the context. Returns `state` itself when no
   * column is shared padding, else a new state.
   */
  dropSharedPadding(state: DecodeState): DecodeState {
    const drop = this.sharedPadding(state);
    if (drop <= 0) return state;
    const n = this.prefixLen;
    const length = state.length - drop;
    const cache = allocate(this.cacheShape, this.config.nLayer, state.batch, capacityFor(length + 1), this.pool);
    copyColumns(this.cacheShape, state.cache, cache, rowPairs(state.batch), [[0, n, 0], [n + drop, state.length, n]]);
    return { batch: state.batch, pad: state.pad.map((p) => p - drop), length, cache, logits: state.logits };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function endsWith(xs: readonly number[], suffix: readonly number[]): boolean {
  if (suffix.length > xs.length) return false;
  return suffix.every((t, i) => xs[xs.length - suffix.length + i] === t);
}
