import { describe, expect, it } from 'vitest';
import { EngineRow, takeDue } from './engine-row';

const EOT = 0;
const row = (due: Set<EngineRow>, id: number, maxTokens: number, deliverEvery: number) =>
  new EngineRow(id, { promptTokens: [1], maxTokens, sampling: { temperature: 0 }, seed: 1, stop: [], stopTokens: [EOT], deliverEvery }, due, () => undefined);

/** Feeds `tokens` one step at a time and returns what each step would post (ids and tokens; empty when nothing is due). */
function steps(due: Set<EngineRow>, r: EngineRow, tokens: number[], before?: (step: number) => void): string[] {
  return tokens.map((token, step) => {
    before?.(step);
    r.accept(token);
    const { tokens: posted } = takeDue(due);
    return posted.join(',');
  });
}

describe('EngineRow pacing', () => {
  it('posts every token by default', () => {
    const due = new Set<EngineRow>();
    expect(steps(due, row(due, 1, 4, 1), [5, 6, 7, 8])).toEqual(['5', '6', '7', '8']);
  });

  it('posts the first token at once, then groups, and the last group when the row ends', () => {
    const due = new Set<EngineRow>();
    // 5 alone; 6,7,8 once three are pending; 9,10,11 (11 is the row's last: posted at once).
    expect(steps(due, row(due, 1, 7, 3), [5, 6, 7, 8, 9, 10, 11])).toEqual(['5', '', '', '6,7,8', '', '', '9,10,11']);
  });

  it('gathers everything but the first token when told Infinity, and ends on a stop token at once', () => {
    const due = new Set<EngineRow>();
    expect(steps(due, row(due, 1, 100, Number.POSITIVE_INFINITY), [5, 6, 7, EOT])).toEqual(['5', '', '', '6,7,0']);
  });

  it('posts each token until the first text, then groups', () => {
    // A byte-level vocabulary: 0xe2 0x82 are two thirds of '€' (no text yet), 0xac completes it.
    const due = new Set<EngineRow>();
    const r = new EngineRow(1, { promptTokens: [1], maxTokens: 100, sampling: { temperature: 0 }, seed: 1, stop: [], stopTokens: [EOT], deliverEvery: 3 }, due, () => undefined, (t) => Uint8Array.of(t));
    expect(steps(due, r, [0xe2, 0x82, 0xac, 65, 66, 67, 68])).toEqual(['226', '130', '172', '', '', '65,66,67', '']);
  });

  it('posts nothing more for a cancelled row, and keeps rows apart in one message', () => {
    const due = new Set<EngineRow>();
    const a = row(due, 1, 10, 1);
    const b = row(due, 2, 10, 1);
    a.accept(5);
    b.accept(6);
    expect(takeDue(due)).toMatchObject({ ids: [1, 2], tokens: [5, 6], finished: [] });
    a.accept(7);
    a.cancel();
    b.accept(8);
    expect(takeDue(due)).toMatchObject({ ids: [2], tokens: [8] });
    expect(a.accept(9)).toBe(false);
  });
});

describe('EngineRow stop strings', () => {
  // A byte-level vocabulary: token t is the byte t (so 'é' is two tokens, 0xc3 0xa9).
  const bytes = (token: number) => Uint8Array.of(token);
  const ids = (text: string) => [...Buffer.from(text, 'utf8')];
  const withStops = (due: Set<EngineRow>, stop: string[]) =>
    new EngineRow(1, { promptTokens: [1], maxTokens: 100, sampling: { temperature: 0 }, seed: 1, stop, stopTokens: [EOT], deliverEvery: 8 }, due, () => undefined, bytes);

  it('ends the row on the token that completes a stop string, and posts its tokens at once', () => {
    const due = new Set<EngineRow>();
    const r = withStops(due, ['\nUser:']);
    const posted = steps(due, r, ids('Hi\nUser:'));
    expect(r.finished).toBe(true);
    // First token alone, then gathered (paced to 8) until the stop completes on ':' with 7 pending.
    expect(posted).toEqual(['72', '', '', '', '', '', '', ids('i\nUser:').join(',')]);
  });

  it('finds a stop string across tokens and inside a multi-byte character, as the main thread does', () => {
    const due = new Set<EngineRow>();
    const r = withStops(due, ['é!']);
    for (const token of ids('caf')) r.accept(token);
    expect(r.finished).toBe(false);
    r.accept(0xc3); // half of é: no character yet
    expect(r.finished).toBe(false);
    r.accept(0xa9);
    expect(r.finished).toBe(false);
    r.accept('!'.charCodeAt(0));
    expect(r.finished).toBe(true);
  });

  it('never ends a row on text that only begins a stop string', () => {
    const due = new Set<EngineRow>();
    const r = withStops(due, ['END']);
    for (const token of ids('EN EN ENd')) expect(r.accept(token)).toBe(true);
    expect(r.finished).toBe(false);
  });
});
