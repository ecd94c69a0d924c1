/**
 * Training graphs. `buildTrainingStep` is one graph: forward → cross-entropy → backward →
 * (value clip) → global-norm clip → AdamW, taking params, moments, step, lr and a token
 * batch and returning loss, grad norm, updated params and moments. With gradient
 * accumulation it splits into `buildGradStep` (accumulates grads into an input buffer)
 * and `buildApplyStep` (clip + AdamW on the averaged sum).
 *
 * Names: params by their HF name, moments `m.<name>`/`v.<name>`, accumulators `acc.<name>`,
 * updated tensors as outputs `new.<name>`, `new.m.<name>`, `new.v.<name>`, `new.acc.<name>`.
 */
import { EngineConfigError } from '../engine.errors';
import { gradients } from '../autodiff/autodiff';
import { GraphBuilder } from '../ir/graph.builder';
import type { Value } from '../ir/ir.types';
import type { GptConfig } from '../model/gpt.config';
import { crossEntropy, gptForward, lmHead } from '../model/gpt.graph';
import { type ParamSpec, paramSpecs } from '../model/gpt.params';
import { type LoraConfig, applyLora, loraSpecs } from '../model/lora';
import type { Hyper } from './hyper';

export interface DropoutSite {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface StepGraph {
  readonly graph: GraphBuilder;
  readonly specs: readonly ParamSpec[];
  /** Mask inputs `dropout.<k>` the caller feeds each step (empty when config.dropout is 0). */
  readonly dropout: readonly DropoutSite[];
}

/** What the optimizer trains: every weight (full fine-tuning / pretraining) or LoRA adapters only. */
export interface StepOptions {
  readonly lora?: LoraConfig;
  /** Prompt tuning: this many learned embeddings prepended to every sequence; the model stays frozen. */
  readonly promptTokens?: number;
}

export const PROMPT_EMBEDDINGS = 'prompt.embeddings';

/** The trainable parameter specs for these options. */
export function trainableSpecs(c: GptConfig, options: StepOptions = {}): ParamSpec[] {
  if (options.lora && options.promptTokens) throw new EngineConfigError('TRAINER_CONFIG_INVALID', 'choose LoRA or prompt tuning, not both');
  if (options.lora) return loraSpecs(c, options.lora);
  if (options.promptTokens) return [{ name: PROMPT_EMBEDDINGS, shape: [options.promptTokens, c.nEmbd], decay: false, init: 'normal' }];
  return paramSpecs(c);
}

function forwardLoss(g: GraphBuilder, c: GptConfig, h: Hyper, options: StepOptions, dropout?: DropoutSite[]): { loss: Value; params: Value[] } {
  const base = paramSpecs(c).map((s) => g.input(s.name, 'float32', s.shape));
  const byName = new Map(paramSpecs(c).map((s, i) => [s.name, base[i]!]));
  let params = base;
  let prefix: Value | undefined;
  if (options.promptTokens) {
    prefix = g.input(PROMPT_EMBEDDINGS, 'float32', [options.promptTokens, c.nEmbd]);
    params = [prefix];
  }
  if (options.lora) {
    params = loraSpecs(c, options.lora).map((s) => g.input(s.name, 'float32', s.shape));
    applyLora(g, byName, new Map(loraSpecs(c, options.lora).map((s, i) => [s.name, params[i]!])), options.lora);
  }
  const ids = g.input('input_ids', 'int64', [h.batchSize, h.seqLen]);
  const targets = g.input('targets', 'int64', [h.batchSize, h.seqLen]);
  const dropoutMask = dropout && c.dropout > 0
    ? (shape: readonly number[]): Value => {
        const site = { name: `dropout.${dropout.length}`, shape: [...shape] };
        dropout.push(site);
        return g.input(site.name, 'float32', shape);
      }
    : undefined;
  const mode = { kind: 'train' as const, batch: h.batchSize, seqLen: h.seqLen, ...(dropoutMask ? { dropoutMask } : {}), ...(prefix ? { prefix } : {}) };
  const { hidden } = gptForward(g, c, byName, ids, mode); // (B·T, C)
  const logits = lmHead(g, byName, hidden); // (B·T, V)
  const loss = crossEntropy(g, logits, g.reshape(targets, [h.batchSize * h.seqLen]));
  return { loss, params };
}

/**
 * Clip + AdamW on `grads`; emits grad_norm and the new.* outputs. Equal to
 * torch.nn.utils.clip_grad_norm_ followed by torch.optim.AdamW, rearranged so every scalar
 * (clip coefficient, bias corrections, lr) folds into one multiplier and each parameter
 * tensor is streamed as few times as possible (these ops are memory-bound):
 *   m ← β1·m + (c·(1−β1))·g           v ← β2·v + (c²·(1−β2))·g²        (c = clip coefficient)
 *   p ← p·(1 − lr·wd) − (lr·√bc2/bc1) · m / (√v + eps·√bc2)
 */
function applyUpdate(g: GraphBuilder, h: Hyper, specs: readonly ParamSpec[], params: Value[], grads: Value[]): void {
  const c = (v: number): Value => g.scalar(v);
  const step = g.input('step', 'float32', []); // 1-based optimizer step
  const lr = g.input('lr', 'float32', []);
  if (h.gradValueClip > 0) {
    grads = grads.map((gr) => g.binary('Max', g.binary('Min', gr, c(h.gradValueClip)), c(-h.gradValueClip)));
  }
  const squares = grads.map((gr) => g.mul(gr, gr)); // reused by the second moment
  const sumSq = squares.map((sq) => g.reduce('ReduceSum', sq, [...sq.shape.keys()], false));
  const norm = g.unary('Sqrt', sumSq.reduce((a, b) => g.addv(a, b)));
  g.output('grad_norm', norm);
  // torch.nn.utils.clip_grad_norm_: coef = min(1, max_norm / (norm + 1e-6)).
  const coef = h.gradClip > 0 ? g.binary('Min', c(1), g.div(c(h.gradClip), g.addv(norm, c(1e-6)))) : c(1);
  const kM = g.mul(coef, c(1 - h.beta1));
  const kV = g.mul(g.mul(coef, coef), c(1 - h.beta2));
  const bc1 = g.sub(c(1), g.binary('Pow', c(h.beta1), step));
  const sqrtBc2 = g.unary('Sqrt', g.sub(c(1), g.binary('Pow', c(h.beta2), step)));
  const stepSize = g.div(g.mul(lr, sqrtBc2), bc1);
  const epsHat = g.mul(c(h.eps), sqrtBc2);
  const keep = g.sub(c(1), g.mul(lr, c(h.weightDecay)));
  specs.forEach((s, i) => {
    const p = params[i]!;
    const m = g.input(`m.${s.name}`, 'float32', s.shape);
    const v = g.input(`v.${s.name}`, 'float32', s.shape);
    const m2 = g.addv(g.mul(m, c(h.beta1)), g.mul(grads[i]!, kM));
    const v2 = g.addv(g.mul(v, c(h.beta2)), g.mul(squares[i]!, kV));
    const update = g.mul(g.div(m2, g.addv(g.unary('Sqrt', v2), epsHat)), stepSize);
    const decayed = s.decay && h.weightDecay > 0 ? g.mul(p, keep) : p;
    g.output(`new.${s.name}`, g.sub(decayed, update));
    g.output(`new.m.${s.name}`, m2);
    g.output(`new.v.${s.name}`, v2);
  });
}

/** The fused single-graph training step (no accumulation). */
export function buildTrainingStep(config: GptConfig, hyper: Hyper, options: StepOptions = {}): StepGraph {
  const specs = trainableSpecs(config, options);
  const g = new GraphBuilder('gpt_train_step');
  const dropout: DropoutSite[] = [];
  const { loss, params } = forwardLoss(g, config, hyper, options, dropout);
  g.output('loss', loss);
  applyUpdate(g, hyper, specs, params, gradients(g, loss, params));
  return { graph: g, specs, dropout };
}

/** Forward + backward, adding this micro-batch's gradients to `acc.*`. */
export function buildGradStep(config: GptConfig, hyper: Hyper, options: StepOptions = {}): StepGraph {
  const specs = trainableSpecs(config, options);
  const g = new GraphBuilder('gpt_grad_step');
  const dropout: DropoutSite[] = [];
  const { loss, params } = forwardLoss(g, config, hyper, options, dropout);
  g.output('loss', loss);
  gradients(g, loss, params).forEach((gr, i) => {
    const s = specs[i]!;
    g.output(`new.acc.${s.name}`, g.addv(g.input(`acc.${s.name}`, 'float32', s.shape), gr));
  });
  return { graph: g, specs, dropout };
}

/** Clip + AdamW on accumulated gradients (averaged over gradAccumSteps). */
export function buildApplyStep(config: GptConfig, hyper: Hyper, options: StepOptions = {}): StepGraph {
  const specs = trainableSpecs(config, options);
  const g = new GraphBuilder('gpt_apply_step');
  const params = specs.map((s) => g.input(s.name, 'float32', s.shape));
  const inv = g.scalar(1 / hyper.gradAccumSteps);
  const grads = specs.map((s) => g.mul(g.input(`acc.${s.name}`, 'float32', s.shape), inv));
  applyUpdate(g, hyper, specs, params, grads);
  return { graph: g, specs, dropout: [] };
}

/** Forward-only loss graph, for validation (dropout off). */
export function buildEvalStep(config: GptConfig, hyper: Hyper, options: StepOptions = {}): StepGraph {
  const specs = trainableSpecs(config, options);
  const g = new GraphBuilder('gpt_eval_step');
  g.output('loss', forwardLoss(g, config, hyper, options).loss);
  return { graph: g, specs, dropout: [] };
}
