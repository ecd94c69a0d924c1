/**
 * What happens to a run when one attempt ends: the run state machine's only branching point.
 *
 *   queued ─► running ─┬─ finished ─► (final checkpoint → completion) ─► succeeded
 *                      ├─ failed, retriable, attempts left ─► running (attempt + 1, from the last checkpoint)
 *                      ├─ failed otherwise ─► failed
 *                      ├─ cancelled ─► cancelled
 *                      └─ stopped (service shutdown) ─► stays running, resumed at the next start
 */
import type { JobExit } from '../launchers/launcher';

export type AttemptOutcome =
  | { readonly kind: 'await-completion' }
  | { readonly kind: 'retry'; readonly nextAttempt: number; readonly reason: string }
  | { readonly kind: 'fail'; readonly reason: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'detached' };

export function attemptOutcome(exit: JobExit, attempt: number, maxAttempts: number): AttemptOutcome {
  switch (exit.outcome) {
    case 'finished':
      return { kind: 'await-completion' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'stopped':
      return { kind: 'detached' };
    case 'failed':
      if (!exit.retriable) return { kind: 'fail', reason: exit.reason };
      if (attempt >= maxAttempts) return { kind: 'fail', reason: `${exit.reason} (attempt ${attempt} of ${maxAttempts}; no attempts left)` };
      return { kind: 'retry', nextAttempt: attempt + 1, reason: exit.reason };
  }
}
