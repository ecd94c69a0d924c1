/** Seeded GPT-2 initialisation (N(0, 0.02), residual projections scaled by 1/sqrt(2·nLayer)). */
import { Rng } from '../train/rng';
import type { GptConfig } from './gpt.config';
import { paramSpecs, type Weights } from './gpt.params';

export function initWeights(c: GptConfig, seed: number): Weights {
  const rng = new Rng(seed);
  const weights: Weights = new Map();
  for (const p of paramSpecs(c)) {
    const n = p.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (p.init === 'ones') data.fill(1);
    else if (p.init === 'normal' || p.init === 'residual') {
      const std = p.init === 'residual' ? c.initStd / Math.sqrt(2 * c.nLayer) : c.initStd;
      // Box–Muller yields two normals per pair of uniforms: use both (halves the time on 124 M weights).
      for (let i = 0; i < n; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - rng.next())) * std;
        const theta = 2 * Math.PI * rng.next();
        data[i] = r * Math.cos(theta);
        if (i + 1 < n) data[i + 1] = r * Math.sin(theta);
      }
    }
    weights.set(p.name, data);
  }
  return weights;
}
