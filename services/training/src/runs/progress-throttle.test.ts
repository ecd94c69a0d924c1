import { describe, expect, it } from 'vitest';
import { ProgressThrottle } from './progress-throttle';

const steps = (throttle: ProgressThrottle, maxSteps: number, at: (step: number) => number, valAt: readonly number[] = []) =>
  Array.from({ length: maxSteps }, (_, i) => i + 1).filter((step) =>
    throttle.due({ step, maxSteps, ...(valAt.includes(step) && { valLoss: 1 }) }, at(step)),
  );

describe('ProgressThrottle', () => {
  it('passes the first step, every N-th step after the last one passed, and the last step', () => {
    expect(steps(new ProgressThrottle({ everySteps: 10, intervalMs: 60_000 }), 35, () => 0)).toEqual([1, 11, 21, 31, 35]);
  });

  it('passes a step when the interval has elapsed, whatever the step count', () => {
    // One step per second, a 3 s interval: every third step.
    expect(steps(new ProgressThrottle({ everySteps: 100, intervalMs: 3_000 }), 10, (s) => s * 1000)).toEqual([1, 4, 7, 10]);
  });

  it('always passes steps that measured a validation loss, and restarts the count from them', () => {
    expect(steps(new ProgressThrottle({ everySteps: 5, intervalMs: 60_000 }), 12, () => 0, [3])).toEqual([1, 3, 8, 12]);
  });

  it('starts over for a resumed attempt: its first step is passed', () => {
    const throttle = new ProgressThrottle({ everySteps: 10, intervalMs: 60_000 });
    expect(throttle.due({ step: 41, maxSteps: 100 }, 0)).toBe(true);
    expect(throttle.due({ step: 42, maxSteps: 100 }, 0)).toBe(false);
  });
});
