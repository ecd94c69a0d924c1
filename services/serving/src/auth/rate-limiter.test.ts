import { describe, expect, it } from 'vitest';
import { RateLimitError } from '../serving.errors';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows the per-minute requests, then refuses with a Retry-After until the bucket refills', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const limits = { requestsPerMinute: 3, tokensPerMinute: 1_000 };
    for (let i = 0; i < 3; i++) limiter.reserve('k', limits, 10);
    let refused: RateLimitError | undefined;
    try {
      limiter.reserve('k', limits, 10);
    } catch (error) {
      refused = error as RateLimitError;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('rate_limit_exceeded');
    expect(refused?.headers['Retry-After']).toBe('20'); // one request refills in 60/3 s
    now = 20_000;
    expect(() => limiter.reserve('k', limits, 10)).not.toThrow();
    expect(() => limiter.reserve('other', limits, 10)).not.toThrow();
  });

  it('reserves prompt + max_tokens and gives back what the completion did not use', () => {
    const now = 0;
    const limiter = new RateLimiter(() => now);
    const limits = { requestsPerMinute: 100, tokensPerMinute: 100 };
    const first = limiter.reserve('k', limits, 80);
    expect(() => limiter.reserve('k', limits, 30)).toThrow(/tokens per minute/);
    first.settle(20); // 60 unused tokens come back
    expect(() => limiter.reserve('k', limits, 70)).not.toThrow();
    expect(() => limiter.reserve('k', limits, 101)).toThrow(/Request too large/);
  });
});
