import { createGuardrail } from '@crucible/guardrails';
import { describe, expect, it } from 'vitest';
import { OutputGuard } from './output-guard';

describe('OutputGuard', () => {
  const guardrail = createGuardrail();

  it('checks the first piece at once, then holds text back until a chunk is full or the end', () => {
    const guard = new OutputGuard(guardrail, undefined, 3);
    expect(guard.next('The')).toEqual({ pass: 'The' });
    expect(guard.next(' state')).toEqual({ pass: '' });
    expect(guard.next(' of')).toEqual({ pass: '' });
    expect(guard.next(' the')).toEqual({ pass: ' state of the' });
    expect(guard.next(' union')).toEqual({ pass: '' });
    expect(guard.end()).toEqual({ pass: ' union' });
    expect(guard.text).toBe('The state of the union');
  });

  it('redacts what was held back when the text already sent is untouched', () => {
    const guard = new OutputGuard(guardrail, undefined, Number.POSITIVE_INFINITY);
    for (const piece of ['Write', ' to', ' jane.doe@example.com', ' today']) guard.next(piece);
    const verdict = guard.end();
    expect('pass' in verdict && verdict.pass).not.toContain('jane.doe@example.com');
    expect(guard.text).not.toContain('jane.doe@example.com');
    expect(guard.text.startsWith('Write to ')).toBe(true);
  });

  it('without a guardrail passes every piece through', () => {
    const guard = new OutputGuard(undefined, undefined, 8);
    expect(guard.next('a')).toEqual({ pass: 'a' });
    expect(guard.next('b')).toEqual({ pass: 'b' });
    expect(guard.end()).toEqual({ pass: '' });
  });
});
