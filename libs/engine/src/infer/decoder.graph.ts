/**
 * The inference graph with a KV cache: one graph serves prefill and decode, since batch, T
 * (new tokens) and P (cache columns) are symbolic. Inputs: `input_ids` (B, T),
 * `position_ids` (B, T), `past_bias` (B, 1, T, P) and `new_bias` (B, 1, T, T) additive masks,
 * `past.<l>.key|value` (B, H, P, hd). Outputs: `logits` (B, V) of the last position and
 * `new.<l>.key|value` (B, H, T, hd), the keys and values of the new tokens only: the caller
 * owns the cache and writes them into it, so no step copies the whole cache in or out of the
 * graph. Masked (unused) cache columns are allowed, which lets the cache grow in chunks.
 * Weights are baked in as initializers (optionally FP16-stored).
 */
import { GraphBuilder } from '../ir/graph.builder';
import { type CompileOptions, compileToBytes } from '../ir/onnx.compiler';
import { type GptConfig, headDim } from '../model/gpt.config';
import { gptForward, lmHead } from '../model/gpt.graph';
import { paramSpecs, type Weights } from '../model/gpt.params';
import { type LoraConfig, applyLora, loraSpecs } from '../model/lora';

export interface DecoderOptions {
  /** Logits for every position (B, T, V) instead of the last one (B, V). */
  readonly allLogits?: boolean;
  /** Keep LoRA adapters separate: W + (alpha/r)·A·B computed in the graph (hot-loaded adapters). */
  readonly lora?: LoraConfig;
}

export function buildDecoderGraph(c: GptConfig, options: DecoderOptions = {}): GraphBuilder {
  const g = new GraphBuilder('gpt_decoder');
  const params = new Map(paramSpecs(c).map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  if (options.lora) {
    const adapters = new Map(loraSpecs(c, options.lora).map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
    applyLora(g, params, adapters, options.lora);
  }
  const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
  const positions = g.input('position_ids', 'int64', ['batch', 'seq']);
  const pastBias = g.input('past_bias', 'float32', ['batch', 1, 'seq', 'past']);
  const newBias = g.input('new_bias', 'float32', ['batch', 1, 'seq', 'seq']);
  const past = Array.from({ length: c.nLayer }, (_, l) => ({
    key: g.input(`past.${l}.key`, 'float32', ['batch', c.nHead, 'past', headDim(c)]),
    value: g.input(`past.${l}.value`, 'float32', ['batch', c.nHead, 'past', headDim(c)]),
  }));
  const { hidden, present } = gptForward(g, c, params, ids, { kind: 'infer', positions, pastBias, newBias, past }); // (B, T, C)
  const last = g.gather(hidden, g.constant(BigInt64Array.of(-1n), 'int64', []), 1); // (B, C)
  g.output('logits', lmHead(g, params, options.allLogits ? hidden : last)); // (B, V) or (B, T, V)
  present.forEach((p, l) => {
    g.output(`new.${l}.key`, p.key);
    g.output(`new.${l}.value`, p.value);
  });
  return g;
}

/** ONNX bytes of the decoder with `weights` baked in. */
export function compileDecoder(c: GptConfig, weights: Weights, options: DecoderOptions & { fp16?: boolean; adapters?: Weights } = {}): Uint8Array {
  const all = options.adapters ? new Map([...weights, ...options.adapters]) : weights;
  const compile: CompileOptions = { initializers: all, fp16Initializers: options.fp16 ?? false };
  return compileToBytes(buildDecoderGraph(c, options), compile);
}
