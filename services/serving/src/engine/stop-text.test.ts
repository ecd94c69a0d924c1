import { describe, expect, it } from 'vitest';
import { StopText } from './stop-text';

const run = (stops: string[], deltas: string[]) => {
  const s = new StopText(stops);
  let out = '';
  for (const d of deltas) {
    const r = s.push(d);
    out += r.emit;
    if (r.stopped) return { out, stopped: true };
  }
  return { out: out + s.flush(), stopped: false };
};

describe('StopText', () => {
  it('ends before a stop string split across deltas and never emits any part of it', () => {
    const s = new StopText(['\n\n']);
    expect(s.push('Hello\n')).toEqual({ emit: 'Hello', stopped: false });
    expect(s.push('\nWorld')).toEqual({ emit: '', stopped: true });
    expect(s.full).toBe('Hello');
  });

  it('releases held-back text once it cannot start a stop string', () => {
    const s = new StopText(['END']);
    expect(s.push('the E')).toEqual({ emit: 'the ', stopped: false });
    expect(s.push('N')).toEqual({ emit: '', stopped: false });
    expect(s.push('d')).toEqual({ emit: 'ENd', stopped: false });
  });

  it('picks the earliest of several stop strings', () => {
    expect(run(['c', 'ab'], ['xab', 'c'])).toEqual({ out: 'x', stopped: true });
    expect(run(['zz'], ['a', 'b', 'z'])).toEqual({ out: 'abz', stopped: false });
  });

  it('without stop strings emits everything at once', () => {
    expect(run([], ['a', 'bc'])).toEqual({ out: 'abc', stopped: false });
  });
});
