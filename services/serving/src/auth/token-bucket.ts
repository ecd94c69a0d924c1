/**
 * Token bucket (the algorithm behind OpenAI's and most gateways' per-minute limits): holds
 * up to `capacity`, refills continuously at `capacity` per minute. Taking more than is there
 * takes nothing and says how long until it would succeed.
 */
const MINUTE_MS = 60_000;

export class TokenBucket {
  private level: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.updatedAt = now;
  }

  /** Takes `amount` if available; returns 0, or the milliseconds to wait until it would be. */
  take(amount: number, now: number): number {
    this.refill(now);
    if (amount <= this.level) {
      this.level -= amount;
      return 0;
    }
    return Math.ceil(((amount - this.level) * MINUTE_MS) / this.capacity);
  }

  /** Returns an unused part of an earlier take (e.g. a completion shorter than `max_tokens`). */
  give(amount: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.capacity, this.level + amount);
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + ((now - this.updatedAt) * this.capacity) / MINUTE_MS);
    this.updatedAt = now;
  }
}
