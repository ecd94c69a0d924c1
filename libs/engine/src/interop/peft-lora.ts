/**
 * LoRA adapters in the Hugging Face PEFT layout, so `PeftModel.from_pretrained(gpt2, dir)`
 * loads what our trainer produced: `adapter_model.safetensors` with
 * `base_model.model.<module>.lora_A.weight` (r, in) and `.lora_B.weight` (out, r) — the
 * transposes of our A (in, r) and B (r, out) — and `adapter_config.json` with
 * `fan_in_fan_out: true` because GPT-2's Conv1D stores weights [in, out].
 * Reference: huggingface/peft tuners/lora (LoraConfig, Linear.get_delta_weight).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GptConfig } from '../model/gpt.config';
import type { Weights } from '../model/gpt.params';
import { type LoraConfig, loraSpecs } from '../model/lora';
import { type SafeTensor, writeSafetensors } from './safetensors';

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

export function exportPeftLora(dir: string, config: GptConfig, lora: LoraConfig, adapters: Weights, baseModel = 'gpt2'): void {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, SafeTensor>();
  for (const s of loraSpecs(config, lora)) {
    const [rows, cols] = s.shape as [number, number];
    const module = s.name.slice('lora.'.length, -'.weight.A'.length); // transformer.h.N.attn.c_attn
    const which = s.name.endsWith('.A') ? 'lora_A' : 'lora_B';
    tensors.set(`base_model.model.${module}.${which}.weight`, { dtype: 'F32', shape: [cols, rows], data: transpose(adapters.get(s.name)!, rows, cols) });
  }
  writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors, { format: 'pt' });
  writeFileSync(join(dir, 'adapter_config.json'), `${JSON.stringify({
    peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: baseModel,
    r: lora.rank, lora_alpha: lora.alpha, lora_dropout: 0, bias: 'none', fan_in_fan_out: true,
    target_modules: [...(lora.targets ?? ['attn.c_attn'])], inference_mode: true,
  }, null, 2)}\n`);
}
