/**
 * Event ids of what the service publishes outside a handler (progress, checkpoints, failures,
 * HTTP requests), derived from the run and step, so a resumed attempt that repeats steps, or a
 * retried publish, produces the same ids and consumers recognise the duplicates.
 */
import { createHash } from 'node:crypto';

export const runEventId = (...parts: readonly (string | number)[]): string =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

export const requestEventId = (runId: string): string => runEventId('training.requested', runId);
export const cancellationEventId = (runId: string): string => runEventId('training-cancellation.requested', runId);
