/**
 * A model version ready to complete text: its tokenizer, the KV-cache decoder on ONNX
 * Runtime, and the lineage. What evaluation, safety testing, the CLI and the gateway's
 * engine runner load; the gateway drives `generator` step by step for continuous batching.
 *
 * @example
 * const model = await TextModel.load('.crucible/models/sotu/1');
 * const [out] = await model.complete(['Fellow citizens,'], { maxTokens: 32, temperature: 0 });
 */
import { type ExecutionProvider, Generator, type GptConfig, type Weights, fromHfConfig, importHuggingFace, meanLoss } from '@crucible/engine';
import { readFileSync } from 'node:fs';
import { type Tokenizer, loadTokenizer } from '@crucible/tokenizer';
import { join } from 'node:path';
import { ArtifactError } from './artifact.errors';
import { type ChatMessage, renderChat } from './chat-template';
import { type Lineage, readModelLineage } from './lineage';
import { TOKENIZER_FILE } from './write-artifact';
import { logSoftmaxAt } from './log-softmax';

export interface TextModelOptions {
  /** FP16 weights in the decoder graph (half the memory; computes in float32). */
  readonly fp16?: boolean;
  readonly threads?: number;
  readonly executionProviders?: readonly ExecutionProvider[];
  /** ORT intra-op threads spin-wait between calls (ORT's default); off frees the cores between decode steps. */
  readonly spinWait?: boolean;
  /**
   * false: tokenizer, config, lineage and chat template only — no weights in memory and no
   * ONNX Runtime session (the gateway runs the engine on a worker thread and keeps this side
   * for text). `generator`, `weights`-based scoring and `complete` then throw. Default true.
   */
  readonly engine?: boolean;
}

export interface CompleteOptions {
  readonly maxTokens: number;
  /** 0 = greedy (the default: evaluations and probes want reproducible output). */
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  /** Text that ends a completion; not included in it. */
  readonly stop?: readonly string[];
  readonly seed?: number;
}

export interface Completion {
  readonly text: string;
  /** Generated token ids (the stop text's tokens and end-of-text removed). */
  readonly tokens: readonly number[];
  readonly promptTokens: number;
  /** The prompt lost its beginning to fit the context window. */
  readonly truncated: boolean;
  readonly finishReason: 'stop' | 'length';
}

export interface ScoredContinuation {
  readonly context: string;
  readonly continuation: string;
}

export class TextModel {
  private constructor(
    readonly dir: string,
    readonly lineage: Lineage,
    readonly config: GptConfig,
    readonly weights: Weights,
    readonly tokenizer: Tokenizer,
    private readonly engine: Generator | undefined,
  ) {}

  static async load(dir: string, options: TextModelOptions = {}): Promise<TextModel> {
    const lineage = readModelLineage(dir);
    const withEngine = options.engine ?? true;
    const { config, weights } = withEngine ? importHuggingFace(dir) : { config: readHfConfig(dir), weights: new Map() as Weights };
    const tokenizer = await loadTokenizer(join(dir, TOKENIZER_FILE), { name: lineage.tokenizerId });
    if (tokenizer.vocabSize > config.vocabSize) {
      throw new ArtifactError('artifact_invalid', `${dir}: tokenizer has ${tokenizer.vocabSize} ids, the model only ${config.vocabSize}`);
    }
    const generator = withEngine ? await Generator.fromWeights(config, weights, options) : undefined;
    return new TextModel(dir, lineage, config, weights, tokenizer, generator);
  }

  /** The KV-cache decoder; absent when loaded with `engine: false`. */
  get generator(): Generator {
    if (!this.engine) throw new ArtifactError('artifact_invalid', `${this.dir} was loaded without an engine (engine: false)`);
    return this.engine;
  }

  get versionId(): string {
    return this.lineage.versionId;
  }

  get eotToken(): number | undefined {
    return this.tokenizer.eotToken;
  }

  /** Text to ids; special-token text in user input is treated as plain text, never as control. */
  encode(text: string): number[] {
    return this.tokenizer.encodeOrdinary(text);
  }

  decode(ids: ArrayLike<number>): string {
    return this.tokenizer.decode(ids);
  }

  renderChat(messages: readonly ChatMessage[]): string {
    return renderChat(messages, this.lineage.chatTemplate);
  }

  /** The prompt ids that fit next to `maxTokens` new tokens: the end of the prompt is what conditions the model. */
  fitPrompt(text: string, maxTokens: number): { ids: number[]; truncated: boolean; maxTokens: number } {
    const context = this.config.contextLength;
    const room = Math.min(Math.max(1, maxTokens), context - 1);
    const encoded = this.encode(text);
    const ids = encoded.length === 0 ? [this.eotToken ?? 0] : encoded;
    const budget = context - room;
    return { ids: ids.slice(-budget), truncated: ids.length > budget, maxTokens: room };
  }

  /** Completes every prompt in one batch (one prefill, then one decode step per token for all rows). */
  async complete(prompts: readonly string[], options: CompleteOptions): Promise<Completion[]> {
    if (prompts.length === 0) return [];
    const fitted = prompts.map((p) => this.fitPrompt(p, options.maxTokens));
    const maxTokens = Math.min(...fitted.map((f) => f.maxTokens));
    const rows = fitted.map(() => ({ tokens: [] as number[], text: undefined as string | undefined, done: false, reason: 'length' as 'stop' | 'length' }));
    const eot = this.eotToken;
    const stream = this.generator.stream(
      fitted.map((f) => f.ids),
      {
        maxTokens,
        temperature: options.temperature ?? 0,
        ...(options.topP !== undefined && { topP: options.topP }),
        ...(options.topK !== undefined && { topK: options.topK }),
        ...(eot !== undefined && { stopTokens: [eot] }),
        seed: options.seed ?? 0,
      },
    );
    for await (const step of stream) {
      step.forEach((token, b) => {
        const row = rows[b]!;
        if (token === null || row.done) return;
        if (token === eot) {
          row.done = true;
          row.reason = 'stop';
          return;
        }
        row.tokens.push(token);
        const cut = firstStop(this.decode(row.tokens), options.stop);
        if (cut !== undefined) {
          row.done = true;
          row.reason = 'stop';
          row.text = cut;
          row.tokens = this.encode(cut);
        }
      });
      if (rows.every((r) => r.done)) break;
    }
    return rows.map((row, b) => ({
      text: row.text ?? this.decode(row.tokens),
      tokens: row.tokens,
      promptTokens: fitted[b]!.ids.length,
      truncated: fitted[b]!.truncated,
      finishReason: row.reason,
    }));
  }

  /**
   * Sum of log-probabilities (nats) of each continuation given its context: how likely the
   * model finds a text, for bias probes and multiple-choice tasks. Batched like `complete`.
   */
  async logLikelihood(pairs: readonly ScoredContinuation[]): Promise<number[]> {
    if (pairs.length === 0) return [];
    const encoded = pairs.map((p) => ({ ctx: this.encode(p.context), cont: this.encode(p.continuation) }));
    // Rows share one left-padded cache: the longest context plus the longest continuation must fit.
    const longestCont = Math.max(...encoded.map((e) => e.cont.length));
    const room = this.config.contextLength - longestCont;
    if (room < 1 || encoded.some((e) => e.cont.length === 0)) {
      throw new ArtifactError('prompt_too_long', `continuations of 1–${longestCont} tokens do not fit a context of ${this.config.contextLength}`);
    }
    const items = encoded.map(({ ctx, cont }) => ({ context: (ctx.length === 0 ? [this.eotToken ?? 0] : ctx).slice(-room), cont }));
    const V = this.config.vocabSize;
    const state = await this.generator.prefill(items.map((i) => i.context));
    const totals = items.map(() => 0);
    const longest = Math.max(...items.map((i) => i.cont.length));
    try {
      for (let t = 0; t < longest; t++) {
        items.forEach((item, b) => {
          if (t < item.cont.length) totals[b]! += logSoftmaxAt(state.logits.subarray(b * V, (b + 1) * V), item.cont[t]!);
        });
        if (t === longest - 1) break;
        await this.generator.decodeStep(state, items.map((i) => i.cont[t] ?? 0));
      }
    } finally {
      this.generator.release(state);
    }
    return totals;
  }

  /** Mean next-token loss (nats) over windows of `contextLength + 1` tokens or fewer, all of one length. */
  meanLoss(windows: readonly number[][]): Promise<number> {
    void this.generator; // throws without weights (engine: false)
    return meanLoss(this.config, this.weights, windows);
  }

  async close(): Promise<void> {
    await this.engine?.close();
  }
}

/** The text before the earliest stop sequence, if one occurs. */
function firstStop(text: string, stop: readonly string[] | undefined): string | undefined {
  let at = -1;
  for (const s of stop ?? []) {
    if (s === '') continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at < 0 ? undefined : text.slice(0, at);
}

const readHfConfig = (dir: string): GptConfig => fromHfConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>);
