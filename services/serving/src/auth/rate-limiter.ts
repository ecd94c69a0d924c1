/**
 * Per-key limits: requests per minute and tokens per minute (prompt + `max_tokens`
 * reserved up front, the unused part given back when the completion ends), each a token
 * bucket. A refusal is a 429 with `Retry-After` in whole seconds.
 */
import { RateLimitError } from '../serving.errors';
import { TokenBucket } from './token-bucket';

export interface KeyLimits {
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
}

export interface Reservation {
  /** Gives back the tokens reserved but not generated. */
  settle(usedTokens: number): void;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { requests: TokenBucket; tokens: TokenBucket }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Charges one request and `tokens` tokens to the key, or throws RateLimitError. */
  reserve(keyId: string, limits: KeyLimits, tokens: number): Reservation {
    const now = this.clock();
    const b = this.bucketsOf(keyId, limits, now);
    if (tokens > limits.tokensPerMinute) {
      throw new RateLimitError(`Request too large: it needs ${tokens} tokens (prompt + max_tokens) and the key's limit is ${limits.tokensPerMinute} tokens per minute. Lower max_tokens.`, 60, 'tokens_limit_exceeded');
    }
    const requestWait = b.requests.take(1, now);
    if (requestWait > 0) {
      throw new RateLimitError(`Rate limit reached: ${limits.requestsPerMinute} requests per minute for this key. Retry in ${Math.ceil(requestWait / 1000)} s.`, requestWait / 1000);
    }
    const tokenWait = b.tokens.take(tokens, now);
    if (tokenWait > 0) {
      b.requests.give(1, now);
      throw new RateLimitError(`Rate limit reached: ${limits.tokensPerMinute} tokens per minute for this key. Retry in ${Math.ceil(tokenWait / 1000)} s.`, tokenWait / 1000, 'tokens_limit_exceeded');
    }
    let settled = false;
    return {
      settle: (used) => {
        if (settled) return;
        settled = true;
        if (used < tokens) b.tokens.give(tokens - used, this.clock());
      },
    };
  }

  private bucketsOf(keyId: string, limits: KeyLimits, now: number) {
    let b = this.buckets.get(keyId);
    // A key whose limits were edited gets fresh buckets with the new capacities.
    if (!b || b.requests.capacity !== limits.requestsPerMinute || b.tokens.capacity !== limits.tokensPerMinute) {
      b = { requests: new TokenBucket(limits.requestsPerMinute, now), tokens: new TokenBucket(limits.tokensPerMinute, now) };
      this.buckets.set(keyId, b);
    }
    return b;
  }
}
