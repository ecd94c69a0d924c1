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
import { type SamplingOptions, sampleToken } from './sampler';

const MASKED = -1e9;

export interface GeneratorOptions {
  readonly executionProviders?: readonly ExecutionProvider[];
  readonly threads?: number;
  /** Store weights as FP16 in the graph (halves memory; computes in float32). */
  readonly fp16?: boolean;
  /** LoRA adapters kept separate from the base weights (a directory written by `writeAdapters`/`exportAdapters`). */
  readonly adapterDir?: string;
}

export interface GenerateOptions extends SamplingOptions {
  readonly maxTokens: number;
  /** Token sequences that end a row (not included in its output). */
  readonly stop?: readonly (readonly number[])[];
  /** Single tokens that end a row (e.g. end-of-text; not included). */
  readonly stopTokens?: readonly number[];
  readonly seed?: number;
}

/** KV-cache state of a batch: opaque to callers except for its logits. */
export interface DecodeState {
  readonly batch: number;
  /** Left padding per row. */
  readonly pad: readonly number[];
  /** Columns in the cache (padding included). */
  length: number;
  past: ortTypes.Tensor[];
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
    private readonly prefix: readonly ortTypes.Tensor[] = [],
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
    return new Generator(config, await createSession(bytes, options), prefix);
  }

  private async run(state: DecodeState, tokens: readonly (readonly number[])[], T: number): Promise<void> {
    const B = state.batch;
    const P = state.length;
    const S = P + T;
    if (S > this.config.contextLength) throw new GenerationError(`sequence of ${S} tokens exceeds the context of ${this.config.contextLength}`);
    const ids = new BigInt64Array(B * T);
    const positions = new BigInt64Array(B * T);
    const bias = new Float32Array(B * T * S).fill(MASKED);
    const n = this.prefixLen; // cache columns: [prompt prefix (n)] [left padding] [tokens]
    for (let b = 0; b < B; b++) {
      const pad = state.pad[b]!;
      for (let t = 0; t < T; t++) {
        const col = P + t;
        ids[b * T + t] = BigInt(tokens[b]![t]!);
        positions[b * T + t] = BigInt(Math.max(0, col - pad));
        // A query sees the prefix and its own row's real tokens up to itself; a pad query sees itself only (keeps softmax finite).
        const row = (b * T + t) * S;
        bias.fill(0, row, row + n);
        bias.fill(0, row + (col < n + pad ? col : n + pad), row + col + 1);
      }
    }
    const feeds: Record<string, ortTypes.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, [B, T]),
      position_ids: new ort.Tensor('int64', positions, [B, T]),
      attention_bias: new ort.Tensor('float32', bias, [B, 1, T, S]),
    };
    for (let l = 0; l < this.config.nLayer; l++) {
      feeds[`past.${l}.key`] = state.past[2 * l]!;
      feeds[`past.${l}.value`] = state.past[2 * l + 1]!;
    }
    const out = await this.session.run(feeds);
    state.past = Array.from({ length: this.config.nLayer }, (_, l) => [out[`present.${l}.key`]!, out[`present.${l}.value`]!]).flat();
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
    const empty = new ort.Tensor('float32', new Float32Array(0), [B, this.config.nHead, 0, headDim(this.config)]);
    // The prompt-tuning prefix (if any) starts every row's cache.
    const past = this.prefix.length
      ? this.prefix.map((t) => {
          const one = t.data as Float32Array;
          const tiled = new Float32Array(one.length * B);
          for (let b = 0; b < B; b++) tiled.set(one, b * one.length);
          return new ort.Tensor('float32', tiled, [B, ...t.dims.slice(1)]);
        })
      : new Array<ortTypes.Tensor>(2 * this.config.nLayer).fill(empty);
    const state: DecodeState = { batch: B, pad, length: this.prefixLen, past, logits: new Float32Array() };
    await this.run(state, padded, T);
    return state;
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
   */
  mergeStates(states: readonly DecodeState[]): DecodeState {
    const length = Math.max(...states.map((s) => s.length));
    const n = this.prefixLen;
    const B = states.reduce((k, s) => k + s.batch, 0);
    const [H, hd] = [this.config.nHead, headDim(this.config)];
    const V = this.config.vocabSize;
    const past = Array.from({ length: 2 * this.config.nLayer }, (_, i) => {
      const out = new Float32Array(B * H * length * hd); // zeros where padding is inserted
      let row = 0;
      for (const s of states) {
        const src = s.past[i]!.data as Float32Array;
        const shift = length - s.length;
        for (let b = 0; b < s.batch; b++, row++) {
          for (let h = 0; h < H; h++) {
            const from = (b * H + h) * s.length * hd;
            const to = (row * H + h) * length * hd;
            out.set(src.subarray(from, from + n * hd), to); // prefix columns stay first
            out.set(src.subarray(from + n * hd, from + s.length * hd), to + (n + shift) * hd);
          }
        }
      }
      return new ort.Tensor('float32', out, [B, H, length, hd]);
    });
    const logits = new Float32Array(B * V);
    let at = 0;
    for (const s of states) {
      logits.set(s.logits.subarray(0, s.batch * V), at);
      at += s.batch * V;
    }
    return { batch: B, pad: states.flatMap((s) => s.pad.map((p) => p + length - s.length)), length, past, logits };
  }

  /** Keeps only the given rows of a batch (finished requests leave). */
  selectRows(state: DecodeState, rows: readonly number[]): DecodeState {
    const [H, hd, V] = [this.config.nHead, headDim(this.config), this.config.vocabSize];
    const per = H * state.length * hd;
    const past = state.past.map((t) => {
      const src = t.data as Float32Array;
      const out = new Float32Array(rows.length * per);
      rows.forEach((r, i) => out.set(src.subarray(r * per, (r + 1) * per), i * per));
      return new ort.Tensor('float32', out, [rows.length, H, state.length, hd]);
    });
    const logits = new Float32Array(rows.length * V);
    rows.forEach((r, i) => logits.set(state.logits.subarray(r * V, (r + 1) * V), i * V));
    return { batch: rows.length, pad: rows.map((r) => state.pad[r]!), length: state.length, past, logits };
  }

  /**
   * Drops cache columns that are left padding in every row (after the prompt-tuning prefix).
   * Rows leave a continuous batch while newcomers join it; without this the cache would keep
   * the padding of rows long gone and grow past the context.
   */
  dropSharedPadding(state: DecodeState): DecodeState {
    const drop = Math.min(...state.pad);
    if (drop <= 0) return state;
    const [H, hd, n] = [this.config.nHead, headDim(this.config), this.prefixLen];
    const length = state.length - drop;
    const past = state.past.map((t) => {
      const src = t.data as Float32Array;
      const out = new Float32Array(state.batch * H * length * hd);
      for (let bh = 0; bh < state.batch * H; bh++) {
        const from = bh * state.length * hd;
        const to = bh * length * hd;
        out.set(src.subarray(from, from + n * hd), to);
        out.set(src.subarray(from + (n + drop) * hd, from + state.length * hd), to + n * hd);
      }
      return new ort.Tensor('float32', out, [state.batch, H, length, hd]);
    });
    return { batch: state.batch, pad: state.pad.map((p) => p - drop), length, past, logits: state.logits };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function endsWith(xs: readonly number[], suffix: readonly number[]): boolean {
  if (suffix.length > xs.length) return false;
  return suffix.every((t, i) => xs[xs.length - suffix.length + i] === t);
}
