/**
 * Hugging Face GPT-2 layout: `model.safetensors` with `transformer.*` keys (Conv1D weights
 * [in, out], tied LM head not stored) and `config.json` (GPT2Config), so
 * `GPT2LMHeadModel.from_pretrained(dir)` loads our weights and we load theirs.
 */
import { EngineError } from '../engine.errors';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GptConfig, GptConfigSchema } from '../model/gpt.config';
import { paramSpecs, type Weights } from '../model/gpt.params';
import { halfToFloat32 } from '../ir/fp16';
import { readSafetensors, type SafeTensor, writeSafetensors } from './safetensors';

export class ModelFormatError extends EngineError<'MODEL_FORMAT_INVALID'> {
  constructor(message: string) {
    super('MODEL_FORMAT_INVALID', message);
  }
}

export function toHfConfig(c: GptConfig, eosTokenId = c.vocabSize - 1): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: c.vocabSize,
    n_positions: c.contextLength,
    n_ctx: c.contextLength,
    n_embd: c.nEmbd,
    n_layer: c.nLayer,
    n_head: c.nHead,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: c.layerNormEpsilon,
    initializer_range: c.initStd,
    resid_pdrop: c.dropout,
    embd_pdrop: c.dropout,
    attn_pdrop: c.dropout,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    bos_token_id: eosTokenId,
    eos_token_id: eosTokenId,
    torch_dtype: 'float32',
  };
}

export function fromHfConfig(j: Record<string, unknown>): GptConfig {
  if (j.model_type !== 'gpt2') throw new ModelFormatError(`model_type ${String(j.model_type)} is not gpt2`);
  if (j.n_inner != null && j.n_inner !== 4 * Number(j.n_embd)) throw new ModelFormatError('n_inner other than 4·n_embd is not supported');
  if (j.activation_function && j.activation_function !== 'gelu_new') throw new ModelFormatError(`activation ${String(j.activation_function)} is not supported`);
  return GptConfigSchema.parse({
    vocabSize: j.vocab_size, contextLength: j.n_positions, nLayer: j.n_layer, nHead: j.n_head, nEmbd: j.n_embd,
    layerNormEpsilon: j.layer_norm_epsilon ?? 1e-5, initStd: j.initializer_range ?? 0.02, dropout: j.resid_pdrop ?? 0,
  });
}

/** Writes `model.safetensors` + `config.json` in the HF GPT-2 layout. */
export function exportHuggingFace(dir: string, config: GptConfig, weights: Weights, extraConfig: Record<string, unknown> = {}): void {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, SafeTensor>();
  for (const p of paramSpecs(config)) {
    const data = weights.get(p.name);
    if (!data) throw new ModelFormatError(`missing weight ${p.name}`);
    tensors.set(p.name, { dtype: 'F32', shape: p.shape, data });
  }
  writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ ...toHfConfig(config), ...extraConfig }, null, 2)}\n`);
}

/** Reads the HF GPT-2 layout (keys with or without the `transformer.` prefix; F32 or F16). */
export function importHuggingFace(dir: string): { config: GptConfig; weights: Weights } {
  const configPath = join(dir, 'config.json');
  const weightsPath = join(dir, 'model.safetensors');
  if (!existsSync(configPath) || !existsSync(weightsPath)) throw new ModelFormatError(`${dir} lacks config.json or model.safetensors`);
  const config = fromHfConfig(JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>);
  const { tensors } = readSafetensors(weightsPath);
  const weights: Weights = new Map();
  for (const p of paramSpecs(config)) {
    const t = tensors.get(p.name) ?? tensors.get(p.name.replace(/^transformer\./, ''));
    if (!t) throw new ModelFormatError(`model.safetensors lacks ${p.name}`);
    if (t.shape.join(',') !== p.shape.join(',')) throw new ModelFormatError(`${p.name}: shape [${t.shape.join(', ')}], expected [${p.shape.join(', ')}]`);
    weights.set(p.name, t.dtype === 'F16' ? halfToFloat32(t.data as Uint16Array) : (t.data as Float32Array));
  }
  return { config, weights };
}
