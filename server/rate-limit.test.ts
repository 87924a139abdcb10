import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait until a request’s worth has refilled', () => {
    const limiter = new RateLimiter(2, 3);
    expect([0, 0, 0].map(() => limiter.take('a', 1000))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 1000)).toBe(1);
    // A refused request costs nothing: after half a second at 2/s one request's worth is back.
    expect(limiter.take('a', 1500)).toBe(0);
    expect(limiter.take('a', 1500)).toBe(1);
  });

  it('keeps each token’s bucket apart', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBe(1);
    expect(limiter.take('b', 0)).toBe(0);
  });

  it('rounds Retry-After up to whole seconds for slow refill rates', () => {
    const limiter = new RateLimiter(0.25, 1);
    limiter.take('a', 0);
    expect(limiter.take('a', 0)).toBe(4);
  });

  it('tells the wait without taking from the bucket', () => {
    const limiter = new RateLimiter(1, 2);
    expect(limiter.wait('a', 0)).toBe(0);
    limiter.take('a', 0);
    expect(limiter.wait('a', 0)).toBe(0);
    limiter.take('a', 0);
    expect([limiter.wait('a', 0), limiter.wait('a', 0)]).toEqual([1, 1]);
    expect(limiter.wait('a', 1000)).toBe(0);
  });
});
