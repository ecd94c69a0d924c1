import { describe, expect, it } from 'vitest';
import { setCondition, setConditions } from './conditions';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const t1 = new Date('2026-01-01T00:05:00.000Z');

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status holds, moves it when it flips', () => {
    const a = setCondition([], { type: 'Ready', status: 'False', reason: 'Pending', message: '' }, 1, t0);
    const b = setCondition(a, { type: 'Ready', status: 'False', reason: 'Running', message: 'step 3' }, 2, t1);
    expect(b[0]).toMatchObject({ reason: 'Running', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 2 });
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Succeeded', message: '' }, 2, t1);
    expect(c[0]!.lastTransitionTime).toBe('2026-01-01T00:05:00Z');
  });

  it('keeps one condition per type, sorted', () => {
    const cs = setConditions(
      [],
      [
        { type: 'Ready', status: 'False', reason: 'x', message: '' },
        { type: 'Failed', status: 'False', reason: 'y', message: '' },
        { type: 'Ready', status: 'True', reason: 'z', message: '' },
      ],
      undefined,
      t0,
    );
    expect(cs.map((c) => `${c.type}=${c.status}`)).toEqual(['Failed=False', 'Ready=True']);
  });
});
