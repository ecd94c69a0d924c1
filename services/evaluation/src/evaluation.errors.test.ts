import { TransportUnavailableError } from '@crucible/contracts';
import { GenerationError } from '@crucible/engine';
import { describe, expect, it } from 'vitest';
import { EvaluationError, forTheBus } from './evaluation.errors';

describe('errors handed to the bus', () => {
  it('turns a non-retriable engine error into a non-retriable EvaluationError carrying its code', async () => {
    const error = await forTheBus(() => Promise.reject(new GenerationError('sequence of 65 tokens exceeds the context of 64'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvaluationError);
    expect(error).toMatchObject({ code: 'evaluation_failed', retriable: false });
    expect((error as Error).message).toMatch(/^CONTEXT_EXCEEDED: sequence of 65/);
  });

  it('passes CrucibleErrors and untyped errors through unchanged', async () => {
    const transport = new TransportUnavailableError('broker down');
    await expect(forTheBus(() => Promise.reject(transport))).rejects.toBe(transport);
    const plain = new Error('ECONNRESET');
    await expect(forTheBus(() => Promise.reject(plain))).rejects.toBe(plain);
    await expect(forTheBus(async () => 7)).resolves.toBe(7);
  });
});
