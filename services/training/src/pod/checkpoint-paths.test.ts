import { describe, expect, it } from 'vitest';
import { reportedAs, sharedPathOf } from './checkpoint-paths';

describe('checkpoint paths leaving the pod', () => {
  const roots = { pod: '/checkpoints', shared: '/var/lib/crucible/checkpoints/runs/r1' };

  it('reports paths under the pod’s checkpoint root as the services see the volume', () => {
    expect(sharedPathOf('/checkpoints/step-00000024', roots)).toBe('/var/lib/crucible/checkpoints/runs/r1/step-00000024');
    expect(sharedPathOf('/checkpoints', roots)).toBe('/var/lib/crucible/checkpoints/runs/r1');
    expect(sharedPathOf('/checkpoints/./step-1/', { pod: '/checkpoints/', shared: roots.shared })).toBe('/var/lib/crucible/checkpoints/runs/r1/step-1');
  });

  it('leaves other paths, and every path without a shared root, as they are', () => {
    expect(sharedPathOf('/checkpoints-old/step-1', roots)).toBe('/checkpoints-old/step-1');
    expect(sharedPathOf('/data/x', roots)).toBe('/data/x');
    expect(sharedPathOf('/checkpoints/step-1', { pod: '/checkpoints' })).toBe('/checkpoints/step-1');
  });

  it('maps the checkpoint and final reports only', () => {
    expect(reportedAs({ type: 'checkpoint', step: 4, path: '/checkpoints/step-00000004', sha256: 'x' }, roots)).toEqual({ type: 'checkpoint', step: 4, path: '/var/lib/crucible/checkpoints/runs/r1/step-00000004', sha256: 'x' });
    expect(reportedAs({ type: 'finished', step: 8, path: '/checkpoints/step-00000008', sha256: 'y', loss: 1 }, roots)).toMatchObject({ path: '/var/lib/crucible/checkpoints/runs/r1/step-00000008' });
    const progress = { type: 'progress' as const, step: 1, maxSteps: 8, loss: 2, lr: 0, gradNorm: 0, tokensPerSec: 0, mfu: 0 };
    expect(reportedAs(progress, roots)).toBe(progress);
  });
});
