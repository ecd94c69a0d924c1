import { describe, expect, it } from 'vitest';
import { completionId, versionOfCompletionId } from './response-format';

describe('completionId', () => {
  it('names the endpoint and carries the version that produced it', () => {
    const id = completionId('chat', 'sotu@3');
    expect(id).toMatch(/^chatcmpl-[0-9a-f]{24}\.[A-Za-z0-9_-]+$/);
    expect(versionOfCompletionId(id)).toBe('sotu@3');
    expect(completionId('completions', 'sotu@3')).toMatch(/^cmpl-/);
  });

  it('draws a fresh random part for every id, past the pooled bytes running out', () => {
    const randomParts = Array.from({ length: 1000 }, () => completionId('completions', 'm@1').slice('cmpl-'.length, 'cmpl-'.length + 24));
    expect(new Set(randomParts).size).toBe(1000); // 12 bytes each: 1000 ids take three refills of the 4 KiB pool
    expect(randomParts.every((hex) => /^[0-9a-f]{24}$/.test(hex))).toBe(true);
  });
});
