import { describe, expect, it } from 'vitest';
import { attemptOutcome } from './attempt-outcome';

describe('attemptOutcome', () => {
  it('retries a retriable failure while attempts are left, then fails', () => {
    const crash = { outcome: 'failed', reason: 'training worker was killed by SIGKILL', retriable: true } as const;
    expect(attemptOutcome(crash, 1, 3)).toEqual({ kind: 'retry', nextAttempt: 2, reason: crash.reason });
    expect(attemptOutcome(crash, 2, 3)).toEqual({ kind: 'retry', nextAttempt: 3, reason: crash.reason });
    expect(attemptOutcome(crash, 3, 3)).toEqual({ kind: 'fail', reason: `${crash.reason} (attempt 3 of 3; no attempts left)` });
  });

  it('fails a non-retriable failure at once', () => {
    expect(attemptOutcome({ outcome: 'failed', reason: 'bad config', retriable: false }, 1, 3)).toEqual({ kind: 'fail', reason: 'bad config' });
  });

  it('maps the other endings', () => {
    expect(attemptOutcome({ outcome: 'finished' }, 1, 3).kind).toBe('await-completion');
    expect(attemptOutcome({ outcome: 'cancelled' }, 1, 3).kind).toBe('cancelled');
    expect(attemptOutcome({ outcome: 'stopped' }, 2, 3).kind).toBe('detached');
  });
});
