import { describe, expect, it } from 'vitest';
import { CrucibleError, ValidationError, TransportUnavailableError, isRetriable } from './errors';

describe('isRetriable', () => {
  it('reads the flag of typed errors', () => {
    expect(isRetriable(new ValidationError('bad'))).toBe(false);
    expect(isRetriable(new TransportUnavailableError('down'))).toBe(true);
  });

  it('reads a boolean `retriable` on errors that are not CrucibleErrors (the ML libs)', () => {
    expect(isRetriable(Object.assign(new Error('shape mismatch'), { retriable: false }))).toBe(false);
    expect(isRetriable(Object.assign(new Error('busy'), { retriable: true }))).toBe(true);
  });

  it('assumes unknown failures are transient', () => {
    expect(isRetriable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetriable('string thrown')).toBe(true);
    expect(isRetriable(Object.assign(new Error('odd'), { retriable: 'no' }))).toBe(true);
  });

  it('lets a subsystem narrow its own codes', () => {
    const error = new CrucibleError<'unknown_model_version'>('unknown_model_version', 'no sotu@9', false);
    expect(error.code).toBe('unknown_model_version');
    expect(isRetriable(error)).toBe(false);
  });
});
