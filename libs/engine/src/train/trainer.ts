/**
 * The trainer: feeds token batches from shards into the compiled training-step graph,
 * keeping params and AdamW moments as ORT tensors passed from one step's outputs to the
 * next step's inputs. Seeded and deterministic (fixed ORT thread count, seeded data order),
 * with checkpoints and exact resume, validation loss, and progress (loss, lr, grad norm,
 * tokens/s, MFU against a measured MatMul peak) through a callback and console lines.
 *
 * @example
 * const trainer = new Trainer({ config: presets.tiny, manifestPath, hyper: { maxSteps: 200 }, checkpointDir });
 * await trainer.run();
 */
import { EngineConfigError, TrainingDivergedError } from '../engine.errors';
import type * as ortTypes from 'onnxruntime-node';
import { exportHuggingFace } from '../interop/hf-gpt2';
import { exportOnnx } from '../interop/onnx-export';
import { exportPeftLora } from '../interop/peft-lora';
import { compileToBytes } from '../ir/onnx.compiler';
import { type GptConfig, GptConfigSchema } from '../model/gpt.config';
import { initWeights } from '../model/gpt.init';
import { type ParamSpec, paramSpecs, type Weights } from '../model/gpt.params';
import { measureMatmulPeak, trainFlopsPerToken } from '../runtime/matmul-peak';
import { createSession, type ExecutionProvider, ort, scalarOf } from '../runtime/ort.session';
import { type Checkpoint, readCheckpoint, writeAdapters, writeCheckpoint } from './checkpoint';
import { type DataSource, DataLoader, manifestSplits, validationBatches } from './data.loader';
import { type Hyper, type HyperInput, HyperSchema, learningRate } from './hyper';
import { PROMPT_EMBEDDINGS, type DropoutSite, type StepOptions, buildApplyStep, buildEvalStep, buildGradStep, buildTrainingStep, trainableSpecs } from './training-step.graph';
import { type LoraConfig, initLora, mergeLora } from '../model/lora';
import { initPrompt } from '../model/prompt-tuning';
import { LossSpikeDetector } from './loss-spike';
import { Rng } from './rng';

export interface TrainProgress {
  readonly step: number;
  readonly maxSteps: number;
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly tokensPerSec: number;
  /** Model FLOP utilisation against the measured MatMul peak, 0–1. */
  readonly mfu: number;
  readonly epoch: number;
  /** The loss jumped far above its recent mean (LossSpikeDetector). */
  readonly lossSpike: boolean;
  readonly valLoss?: number;
  readonly checkpoint?: string;
}

export interface TrainerOptions {
  readonly config: GptConfig;
  /** A dataset manifest (train + validation splits)… */
  readonly manifestPath?: string;
  /** …or train shard files, optionally grouped with mixture weights. */
  readonly shards?: readonly string[] | readonly DataSource[];
  readonly validationShards?: readonly string[];
  readonly hyper?: HyperInput;
  readonly checkpointDir?: string;
  /** Start from these weights (fine-tuning) instead of a seeded initialisation. */
  readonly initialWeights?: Weights;
  readonly onProgress?: (p: TrainProgress) => void;
  /** Print one console line per step (default true). */
  readonly log?: boolean;
  readonly executionProviders?: readonly ExecutionProvider[];
  /** Train LoRA adapters only; `initialWeights` (or the seeded init) stay frozen. */
  readonly lora?: LoraConfig;
  /** Prompt tuning: train this many prepended embeddings only (initialised from sampled vocabulary rows). */
  readonly promptTokens?: number;
}

export interface TrainResult {
  readonly step: number;
  readonly losses: readonly number[];
  readonly valLoss?: number;
  readonly checkpoint?: string;
}

type Feeds = Record<string, ortTypes.Tensor>;

export class Trainer {
  readonly config: GptConfig;
  readonly hyper: Hyper;
  private readonly specs: ParamSpec[];
  private readonly loader: DataLoader;
  private readonly validation: string[];
  /** Trainable tensors (all weights, or LoRA adapters). */
  private params: Feeds = {};
  /** Frozen base weights (LoRA and prompt tuning). */
  private frozen: Feeds = {};
  private moments: Feeds = {};
  private step = 0;
  private losses: number[] = [];
  private dropoutSites: readonly DropoutSite[] = [];
  private sessions?: { step?: ortTypes.InferenceSession; grad?: ortTypes.InferenceSession; apply?: ortTypes.InferenceSession; eval: ortTypes.InferenceSession };

  constructor(private readonly options: TrainerOptions) {
    this.config = GptConfigSchema.parse(options.config);
    this.hyper = HyperSchema.parse(options.hyper ?? {});
    this.specs = trainableSpecs(this.config, this.stepOptions);
    let sources: DataSource[];
    if (options.manifestPath) {
      const split = manifestSplits(options.manifestPath);
      if (split.vocabSize > this.config.vocabSize) {
        throw new EngineConfigError('TRAINER_CONFIG_INVALID', `dataset vocabulary (${split.vocabSize}) is larger than the model's (${this.config.vocabSize})`);
      }
      sources = [{ shards: split.train }];
      this.validation = options.validationShards ? [...options.validationShards] : split.validation;
    } else if (options.shards) {
      // Plain paths are one source, unless hyper.mixture weighs each path as its own source.
      const mixture = this.hyper.mixture;
      const plain = options.shards.every((s) => typeof s === 'string');
      sources = plain && !mixture
        ? [{ shards: options.shards as string[] }]
        : options.shards.map((s, i) => {
            const weight = (typeof s === 'string' ? undefined : s.weight) ?? mixture?.[i] ?? 1;
            return typeof s === 'string' ? { shards: [s], weight } : { shards: s.shards, weight };
          });
      this.validation = [...(options.validationShards ?? [])];
    } else throw new EngineConfigError('TRAINER_CONFIG_INVALID', 'Trainer needs manifestPath or shards');
    this.loader = new DataLoader(sources, this.hyper.seqLen, this.hyper.order, this.hyper.seed);
    const base = options.initialWeights ?? initWeights(this.config, this.hyper.seed);
    if (options.lora) {
      this.setFrozen(base);
      this.setWeights(initLora(this.config, options.lora, this.hyper.seed));
    } else if (options.promptTokens) {
      this.setFrozen(base);
      this.setWeights(new Map([[PROMPT_EMBEDDINGS, initPrompt(this.config, base, options.promptTokens, this.hyper.seed)]]));
    } else this.setWeights(base);
    for (const s of this.specs) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      this.moments[`m.${s.name}`] = new ort.Tensor('float32', new Float32Array(n), s.shape);
      this.moments[`v.${s.name}`] = new ort.Tensor('float32', new Float32Array(n), s.shape);
    }
  }

  private get stepOptions(): StepOptions {
    return { ...(this.options.lora ? { lora: this.options.lora } : {}), ...(this.options.promptTokens ? { promptTokens: this.options.promptTokens } : {}) };
  }

  /** Base weights frozen, adapters (LoRA or prompt) trained. */
  private get adapted(): boolean {
    return Boolean(this.options.lora || this.options.promptTokens);
  }

  private setFrozen(w: Weights): void {
    for (const s of paramSpecs(this.config)) {
      const data = w.get(s.name);
      if (!data) throw new EngineConfigError('MODEL_CONFIG_INVALID', `base weights lack ${s.name}`);
      this.frozen[s.name] = new ort.Tensor('float32', Float32Array.from(data), s.shape);
    }
  }

  private setWeights(w: Weights): void {
    for (const s of this.specs) {
      const data = w.get(s.name);
      if (!data) throw new EngineConfigError('MODEL_CONFIG_INVALID', `initial weights lack ${s.name}`);
      this.params[s.name] = new ort.Tensor('float32', Float32Array.from(data), s.shape);
    }
  }

  /** Current model weights (copies; with LoRA, the base merged with the adapters; with prompt tuning, the frozen base). */
  weights(): Weights {
    if (this.options.lora) return mergeLora(this.config, this.baseWeights(), this.adapters(), this.options.lora);
    return new Map([...this.baseWeights()].map(([k, v]) => [k, Float32Array.from(v)]));
  }

  /** LoRA adapters or prompt embeddings (copies); empty for full training. */
  adapters(): Weights {
    return this.adapted ? new Map(this.specs.map((s) => [s.name, Float32Array.from(this.params[s.name]!.data as Float32Array)])) : new Map();
  }

  private baseWeights(): Weights {
    return new Map(paramSpecs(this.config).map((s) => [s.name, (this.adapted ? this.frozen : this.params)[s.name]!.data as Float32Array]));
  }

  get stepsDone(): number {
    return this.step;
  }

  /** Training windows (sequences of seqLen+1 tokens) in one epoch, over all sources. */
  get windowsPerEpoch(): number {
    return this.loader.windowsPerEpoch;
  }

  private async ensureSessions(): Promise<NonNullable<Trainer['sessions']>> {
    if (this.sessions) return this.sessions;
    const opts = { threads: this.hyper.threads, executionProviders: this.options.executionProviders };
    const make = async (b: { graph: Parameters<typeof compileToBytes>[0] }): Promise<ortTypes.InferenceSession> => createSession(compileToBytes(b.graph), opts);
    const o = this.stepOptions;
    const evalSession = await make(buildEvalStep(this.config, this.hyper, o));
    const main = this.hyper.gradAccumSteps === 1 ? buildTrainingStep(this.config, this.hyper, o) : buildGradStep(this.config, this.hyper, o);
    this.dropoutSites = main.dropout;
    this.sessions = this.hyper.gradAccumSteps === 1
      ? { step: await make(main), eval: evalSession }
      : { grad: await make(main), apply: await make(buildApplyStep(this.config, this.hyper, o)), eval: evalSession };
    return this.sessions;
  }

  private batchFeeds(micro: number): Feeds {
    const { batchSize: B, seqLen: T } = this.hyper;
    const { inputs, targets } = this.loader.nextBatch(B);
    return { input_ids: new ort.Tensor('int64', inputs, [B, T]), targets: new ort.Tensor('int64', targets, [B, T]), ...this.dropoutFeeds(micro) };
  }

  /** Dropout masks drawn from an RNG keyed by (seed, step, micro-batch): reproducible and resumable without extra state. */
  private dropoutFeeds(micro: number): Feeds {
    if (this.dropoutSites.length === 0) return {};
    const p = this.config.dropout;
    const keep = 1 / (1 - p);
    const rng = new Rng((this.hyper.seed ^ Math.imul(this.step + 1, 0x9e3779b1) ^ Math.imul(micro + 1, 0x85ebca6b)) >>> 0);
    return Object.fromEntries(this.dropoutSites.map((site) => {
      const mask = new Float32Array(site.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < p ? 0 : keep;
      return [site.name, new ort.Tensor('float32', mask, site.shape)];
    }));
  }

  private adopt(out: ortTypes.InferenceSession.ReturnType): void {
    for (const s of this.specs) {
      this.params[s.name] = out[`new.${s.name}`]!;
      this.moments[`m.${s.name}`] = out[`new.m.${s.name}`]!;
      this.moments[`v.${s.name}`] = out[`new.v.${s.name}`]!;
    }
  }

  /** One optimizer step (gradAccumSteps micro-batches); returns loss and grad norm. */
  private async trainStep(lr: number): Promise<{ loss: number; gradNorm: number }> {
    const sessions = await this.ensureSessions();
    const scalars = { step: new ort.Tensor('float32', Float32Array.of(this.step + 1), []), lr: new ort.Tensor('float32', Float32Array.of(lr), []) };
    if (sessions.step) {
      const out = await sessions.step.run({ ...this.frozen, ...this.params, ...this.moments, ...scalars, ...this.batchFeeds(0) });
      this.adopt(out);
      return { loss: scalarOf(out.loss!), gradNorm: scalarOf(out.grad_norm!) };
    }
    let acc: Feeds = Object.fromEntries(this.specs.map((s) => [`acc.${s.name}`, new ort.Tensor('float32', new Float32Array(s.shape.reduce((a, b) => a * b, 1)), s.shape)]));
    let loss = 0;
    for (let k = 0; k < this.hyper.gradAccumSteps; k++) {
      const out = await sessions.grad!.run({ ...this.frozen, ...this.params, ...acc, ...this.batchFeeds(k) });
      loss += scalarOf(out.loss!) / this.hyper.gradAccumSteps;
      acc = Object.fromEntries(this.specs.map((s) => [`acc.${s.name}`, out[`new.acc.${s.name}`]!]));
    }
    const out = await sessions.apply!.run({ ...this.params, ...this.moments, ...acc, ...scalars });
    this.adopt(out);
    return { loss, gradNorm: scalarOf(out.grad_norm!) };
  }

  /** Mean loss over the first evalBatches validation batches (undefined without validation data). */
  async evaluate(): Promise<number | undefined> {
    if (this.validation.length === 0) return undefined;
    const { eval: session } = await this.ensureSessions();
    const { batchSize: B, seqLen: T } = this.hyper;
    const batches = validationBatches(this.validation, T, B, this.hyper.evalBatches);
    if (batches.length === 0) return undefined;
    let sum = 0;
    for (const b of batches) {
      const out = await session.run({ ...this.frozen, ...this.params, input_ids: new ort.Tensor('int64', b.inputs, [B, T]), targets: new ort.Tensor('int64', b.targets, [B, T]) });
      sum += scalarOf(out.loss!);
    }
    return sum / batches.length;
  }

  /** Trains until maxSteps (or the epoch limit); checkpoints at checkpointEvery and at the end. */
  async run(): Promise<TrainResult> {
    const h = this.hyper;
    const log = this.options.log ?? true;
    const peak = await measureMatmulPeak(h.threads);
    const tokensPerStep = h.batchSize * h.seqLen * h.gradAccumSteps;
    const flopsPerStep = trainFlopsPerToken(this.config, h.seqLen) * tokensPerStep;
    let valLoss: number | undefined;
    let checkpoint: string | undefined;
    const spikes = new LossSpikeDetector();
    for (const l of this.losses.slice(-50)) spikes.observe(l);
    while (this.step < h.maxSteps && this.loader.epochsDone < h.epochs) {
      const lr = learningRate(h, this.step);
      const t0 = performance.now();
      const { loss, gradNorm } = await this.trainStep(lr);
      const seconds = (performance.now() - t0) / 1000;
      this.step++;
      this.losses.push(loss);
      if (!Number.isFinite(loss)) throw new TrainingDivergedError(this.step, loss);
      const evalDue = h.evalEvery > 0 && (this.step % h.evalEvery === 0 || this.step === h.maxSteps);
      if (evalDue) valLoss = await this.evaluate();
      const ckDue = this.options.checkpointDir && ((h.checkpointEvery > 0 && this.step % h.checkpointEvery === 0) || this.step === h.maxSteps);
      checkpoint = ckDue ? this.checkpoint() : undefined;
      const progress: TrainProgress = {
        step: this.step, maxSteps: h.maxSteps, loss, lr, gradNorm,
        tokensPerSec: tokensPerStep / seconds, mfu: flopsPerStep / seconds / peak, epoch: this.loader.epochsDone, lossSpike: spikes.observe(loss),
        ...(evalDue && valLoss !== undefined ? { valLoss } : {}), ...(checkpoint ? { checkpoint } : {}),
      };
      this.options.onProgress?.(progress);
      if (log) {
        console.log(`step ${this.step}/${h.maxSteps} | loss ${loss.toFixed(4)} | lr ${lr.toExponential(2)} | norm ${gradNorm.toFixed(3)} | ${Math.round(progress.tokensPerSec)} tok/s | mfu ${(progress.mfu * 100).toFixed(1)}%${progress.lossSpike ? ' | LOSS SPIKE' : ''}${evalDue && valLoss !== undefined ? ` | val ${valLoss.toFixed(4)}` : ''}`);
      }
    }
    return { step: this.step, losses: [...this.losses], ...(valLoss !== undefined ? { valLoss } : {}), ...(checkpoint ? { checkpoint } : {}) };
  }

  private momentsOf(prefix: 'm' | 'v'): Weights {
    return new Map(this.specs.map((s) => [s.name, this.moments[`${prefix}.${s.name}`]!.data as Float32Array]));
  }

  /** Writes a checkpoint now; returns its directory. */
  checkpoint(root = this.options.checkpointDir): string {
    if (!root) throw new EngineConfigError('TRAINER_CONFIG_INVALID', 'no checkpointDir');
    const ck: Checkpoint = {
      config: this.config,
      weights: this.baseWeights(),
      ...(this.adapted ? { adapters: new Map(this.specs.map((s) => [s.name, this.params[s.name]!.data as Float32Array])) } : {}),
      moments: { m: this.momentsOf('m'), v: this.momentsOf('v') },
      state: {
        format: 'crucible.engine-checkpoint', formatVersion: 1, step: this.step, data: this.loader.state(), hyper: this.hyper, losses: this.losses,
        ...this.stepOptions,
      },
    };
    return writeCheckpoint(root, ck);
  }

  /** Restores weights, optimizer moments, step, data position and RNG from `dir`, then runs. */
  async resume(dir: string): Promise<TrainResult> {
    this.load(dir);
    return this.run();
  }

  /** Restores state from a checkpoint without running. */
  load(dir: string): void {
    const ck = readCheckpoint(dir);
    if (JSON.stringify(ck.config) !== JSON.stringify(this.config)) throw new EngineConfigError('CHECKPOINT_MISMATCH', 'checkpoint config differs from the trainer config');
    if (this.adapted) {
      if (!ck.adapters) throw new EngineConfigError('CHECKPOINT_MISMATCH', 'checkpoint has no adapters');
      this.setFrozen(ck.weights);
      this.setWeights(ck.adapters);
    } else this.setWeights(ck.weights);
    for (const s of this.specs) {
      this.moments[`m.${s.name}`] = new ort.Tensor('float32', ck.moments.m.get(s.name)!, s.shape);
      this.moments[`v.${s.name}`] = new ort.Tensor('float32', ck.moments.v.get(s.name)!, s.shape);
    }
    this.step = ck.state.step;
    this.losses = [...ck.state.losses];
    this.loader.restore(ck.state.data);
  }

  exportHuggingFace(dir: string): void {
    exportHuggingFace(dir, this.config, this.weights());
  }

  /** The KV-cache inference model as ONNX (FP16-stored weights optional). */
  exportOnnx(dir: string, options: { fp16?: boolean } = {}): { path: string; bytes: number } {
    return exportOnnx(dir, this.config, this.weights(), options);
  }

  /** Writes the adapters (safetensors + adapter_config.json) for hot-loading (Generator adapterDir) or later merging. */
  exportAdapters(dir: string): void {
    if (this.options.lora) writeAdapters(dir, { lora: this.options.lora }, this.adapters());
    else if (this.options.promptTokens) writeAdapters(dir, { promptTokens: this.options.promptTokens }, this.adapters());
    else throw new EngineConfigError('TRAINER_CONFIG_INVALID', 'not a LoRA or prompt-tuning trainer');
  }

  /** LoRA adapters in the Hugging Face PEFT layout (loadable with PeftModel.from_pretrained). */
  exportPeftAdapter(dir: string, baseModel?: string): void {
    if (!this.options.lora) throw new EngineConfigError('TRAINER_CONFIG_INVALID', 'not a LoRA trainer');
    exportPeftLora(dir, this.config, this.options.lora, this.adapters(), baseModel);
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.sessions ?? {})) await s?.release();
    this.sessions = undefined;
  }
}
