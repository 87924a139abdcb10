/**
 * Per-token token bucket: `burst` requests at once, refilled at `perSecond`. Kept in memory, so with
 * several instances behind a load balancer each instance enforces its own share.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** 0 when the request may go ahead, otherwise the seconds to wait (for Retry-After). */
  take(key: string, now: number): number {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= 100_000) this.sweep(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = this.refilled(bucket, now);
      bucket.at = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.secondsUntilOne(bucket.tokens);
  }

  /** Like take, without taking: 0 when a request could go ahead now, otherwise the seconds to wait. */
  wait(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = this.refilled(bucket, now);
    return tokens >= 1 ? 0 : this.secondsUntilOne(tokens);
  }

  /** The bucket's tokens at `now`: what it held, plus the refill since, up to `burst`. */
  private refilled(bucket: { tokens: number; at: number }, now: number): number {
    return Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
  }

  /** Whole seconds (at least 1) until a bucket holding `tokens` (fewer than 1) holds one. */
  private secondsUntilOne(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.perSecond));
  }

  /** Drops buckets that have refilled completely: they hold no information. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.refilled(bucket, now) >= this.burst) this.buckets.delete(key);
    }
  }
}
