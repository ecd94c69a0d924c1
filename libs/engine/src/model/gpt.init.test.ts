import { describe, expect, it } from 'vitest';
import { presets } from './gpt.config';
import { initWeights } from './gpt.init';
import { countParams, paramSpecs } from './gpt.params';

describe('GPT-2 parameters and initialisation', () => {
  it('presets have the documented sizes', () => {
    expect(countParams(presets.gpt2)).toBe(124_439_808); // HF gpt2 without the tied head
    expect(countParams(presets.small) / 1e6).toBeCloseTo(10.1, 1);
  });

  it('is seeded, N(0, 0.02) on matrices, scaled on residual projections, ones/zeros on LayerNorm and biases', () => {
    const c = { ...presets.tiny, nEmbd: 64, nHead: 2 };
    const a = initWeights(c, 1);
    expect(initWeights(c, 1).get('transformer.wte.weight')).toEqual(a.get('transformer.wte.weight'));
    expect(initWeights(c, 2).get('transformer.wte.weight')).not.toEqual(a.get('transformer.wte.weight'));
    const std = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(std(a.get('transformer.h.0.mlp.c_fc.weight')!)).toBeCloseTo(0.02, 3);
    expect(std(a.get('transformer.h.0.mlp.c_proj.weight')!)).toBeCloseTo(0.02 / Math.sqrt(4), 3);
    expect(a.get('transformer.h.1.ln_2.weight')!.every((v) => v === 1)).toBe(true);
    expect(a.get('transformer.h.1.attn.c_attn.bias')!.every((v) => v === 0)).toBe(true);
    expect([...a.keys()]).toEqual(paramSpecs(c).map((s) => s.name));
  });
});
