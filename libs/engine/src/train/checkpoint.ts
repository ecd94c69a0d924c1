/**
 * Checkpoints for exact resume: `<dir>/step-NNNNNNNN/` holds the model in HF layout
 * (model.safetensors + config.json), `optimizer.safetensors` (AdamW m.*, v.*) and
 * `trainer-state.json` (step, data position, RNG state, hyper-parameters). Written to a
 * temporary directory and renamed; `<dir>/latest` names the newest.
 */
import { EngineError } from '../engine.errors';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportHuggingFace, importHuggingFace } from '../interop/hf-gpt2';
import { readSafetensors, type SafeTensor, writeSafetensors } from '../interop/safetensors';
import type { GptConfig } from '../model/gpt.config';
import type { Weights } from '../model/gpt.params';
import type { LoaderState } from './data.loader';
import type { Hyper } from './hyper';
import type { LoraConfig } from '../model/lora';

export const CHECKPOINT_FORMAT = 'crucible.engine-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface TrainerState {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly formatVersion: typeof CHECKPOINT_VERSION;
  /** Optimizer steps completed. */
  readonly step: number;
  readonly data: LoaderState;
  readonly hyper: Hyper;
  readonly losses: readonly number[];
  readonly lora?: LoraConfig;
  readonly promptTokens?: number;
}

export interface Checkpoint {
  readonly config: GptConfig;
  readonly weights: Weights;
  readonly moments: { readonly m: Weights; readonly v: Weights };
  /** LoRA adapters or prompt embeddings (the weights are then the frozen base). */
  readonly adapters?: Weights;
  readonly state: TrainerState;
}

export class CheckpointError extends EngineError<'CHECKPOINT_INVALID'> {
  constructor(message: string) {
    super('CHECKPOINT_INVALID', message);
  }
}

/** What the adapter tensors are: LoRA matrices or prompt-tuning embeddings. */
export type AdapterKind = { readonly lora: LoraConfig } | { readonly promptTokens: number };

/** Adapters as `adapter.safetensors` + `adapter_config.json` (PEFT-like: peft_type, r, lora_alpha, target_modules | num_virtual_tokens). */
export function writeAdapters(dir: string, kind: AdapterKind, adapters: Weights): void {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, SafeTensor>();
  for (const [k, data] of adapters) tensors.set(k, { dtype: 'F32', shape: [data.length], data });
  writeSafetensors(join(dir, 'adapter.safetensors'), tensors);
  const config = 'lora' in kind
    ? { peft_type: 'LORA', r: kind.lora.rank, lora_alpha: kind.lora.alpha, target_modules: kind.lora.targets ?? ['attn.c_attn'] }
    : { peft_type: 'PROMPT_TUNING', num_virtual_tokens: kind.promptTokens };
  writeFileSync(join(dir, 'adapter_config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

export function readAdapters(dir: string): { kind: AdapterKind; adapters: Weights } {
  const j = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as { peft_type: string; r: number; lora_alpha: number; target_modules: LoraConfig['targets']; num_virtual_tokens: number };
  const { tensors } = readSafetensors(join(dir, 'adapter.safetensors'));
  const adapters: Weights = new Map([...tensors].map(([k, t]) => [k, t.data as Float32Array]));
  if (j.peft_type === 'PROMPT_TUNING') return { kind: { promptTokens: j.num_virtual_tokens }, adapters };
  if (j.peft_type !== 'LORA') throw new CheckpointError(`${dir}: unknown adapter type ${j.peft_type}`);
  return { kind: { lora: { rank: j.r, alpha: j.lora_alpha, ...(j.target_modules ? { targets: j.target_modules } : {}) } }, adapters };
}

export function writeCheckpoint(root: string, ck: Checkpoint): string {
  mkdirSync(root, { recursive: true });
  const name = `step-${String(ck.state.step).padStart(8, '0')}`;
  const final = join(root, name);
  const tmp = join(root, `.${name}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  exportHuggingFace(tmp, ck.config, ck.weights);
  const moments = new Map<string, SafeTensor>();
  for (const [k, data] of ck.moments.m) moments.set(`m.${k}`, { dtype: 'F32', shape: [data.length], data });
  for (const [k, data] of ck.moments.v) moments.set(`v.${k}`, { dtype: 'F32', shape: [data.length], data });
  writeSafetensors(join(tmp, 'optimizer.safetensors'), moments);
  if (ck.adapters && ck.state.lora) writeAdapters(tmp, { lora: ck.state.lora }, ck.adapters);
  if (ck.adapters && ck.state.promptTokens) writeAdapters(tmp, { promptTokens: ck.state.promptTokens }, ck.adapters);
  writeFileSync(join(tmp, 'trainer-state.json'), `${JSON.stringify(ck.state)}\n`);
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  writeFileSync(join(root, 'latest.tmp'), name);
  renameSync(join(root, 'latest.tmp'), join(root, 'latest'));
  return final;
}

/** Reads a checkpoint directory, or the newest one under a root that has a `latest` file. */
export function readCheckpoint(dir: string): Checkpoint {
  const latest = join(dir, 'latest');
  const at = existsSync(latest) ? join(dir, readFileSync(latest, 'utf8').trim()) : dir;
  const statePath = join(at, 'trainer-state.json');
  if (!existsSync(statePath)) throw new CheckpointError(`${at} is not a checkpoint (no trainer-state.json)`);
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as TrainerState;
  if (state.format !== CHECKPOINT_FORMAT || state.formatVersion !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`${at}: unknown checkpoint format ${state.format} v${state.formatVersion}`);
  }
  const { config, weights } = importHuggingFace(at);
  const { tensors } = readSafetensors(join(at, 'optimizer.safetensors'));
  const m: Weights = new Map();
  const v: Weights = new Map();
  for (const [k, t] of tensors) {
    if (k.startsWith('m.')) m.set(k.slice(2), t.data as Float32Array);
    else if (k.startsWith('v.')) v.set(k.slice(2), t.data as Float32Array);
  }
  const adapters = existsSync(join(at, 'adapter.safetensors')) ? readAdapters(at).adapters : undefined;
  return { config, weights, moments: { m, v }, state, ...(adapters ? { adapters } : {}) };
}
