import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/sandbox/klaviyo/rate-limiter.ts';

const M_TIER = { burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: null };

describe('createRateLimiter', () => {
  it('allows the burst, rejects until the window ends, and does not count rejected requests', () => {
    const clock = { now: 1_000_000 };
    const limiter = createRateLimiter({ now: () => clock.now, timeScale: 1 });
    const decisions = Array.from({ length: 10 }, () => limiter.take('op', M_TIER));
    expect(decisions.map((decision) => decision.allowed)).toEqual(Array(10).fill(true));
    expect(decisions[9]).toEqual({ allowed: true, limit: 150, remaining: 140, resetSeconds: 60 });
    clock.now += 250;
    expect(limiter.take('op', M_TIER)).toEqual({ allowed: false, retryAfterMs: 750 });
    expect(limiter.take('op', M_TIER)).toEqual({ allowed: false, retryAfterMs: 750 });
    clock.now += 750;
    // Two rejections did not use up the steady window: 11th allowed request leaves 139.
    expect(limiter.take('op', M_TIER)).toEqual({ allowed: true, limit: 150, remaining: 139, resetSeconds: 59 });
    expect(limiter.take('other-op', M_TIER)).toMatchObject({ allowed: true, remaining: 149 });
  });

  it('divides windows by the time scale and forgets everything on reset', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter({ now: () => clock.now, timeScale: 100 });
    const daily = { burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: 12 };
    for (let call = 0; call < 10; call += 1) limiter.take('create', daily);
    expect(limiter.take('create', daily)).toEqual({ allowed: false, retryAfterMs: 10 });
    clock.now = 10;
    limiter.take('create', daily);
    limiter.take('create', daily);
    clock.now = 700;
    // The steady window (600 ms at scale 100) has passed, the daily one (864,000 ms) has not.
    expect(limiter.take('create', daily)).toEqual({ allowed: false, retryAfterMs: 863_300 });
    limiter.reset();
    expect(limiter.take('create', daily).allowed).toBe(true);
  });
});
