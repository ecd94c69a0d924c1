import { describe, expect, it } from 'vitest';
import { LossSpikeDetector } from './loss-spike';

describe('LossSpikeDetector', () => {
  it('flags a jump well above recent noise, not the noise or a steady decline', () => {
    const d = new LossSpikeDetector(50, 4, 0.1, 20);
    const flags = Array.from({ length: 60 }, (_, i) => d.observe(3 - i * 0.01 + (i % 2 ? 0.01 : -0.01)));
    expect(flags.some(Boolean)).toBe(false);
    expect(d.observe(4)).toBe(true);
    expect(d.observe(2.4)).toBe(false);
  });
});
