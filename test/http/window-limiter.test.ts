import { describe, expect, it } from 'vitest';
import { createEndpointLimiters, createWindowLimiter } from '../../src/http/window-limiter.ts';
import { createTestClock } from '../helpers/clock.ts';

describe('window limiter', () => {
  it('allows the burst at once, then spaces requests so no second holds more than the limit', async () => {
    const time = createTestClock();
    const limiter = createWindowLimiter([{ limit: 3, intervalMs: 1000 }], time);
    const grantedAt: number[] = [];
    for (let i = 0; i < 7; i++) {
      await limiter.acquire();
      grantedAt.push(time.now());
    }
    expect(grantedAt).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
  });

  it('honours the steady window as well as the burst window', async () => {
    const time = createTestClock();
    const limiter = createWindowLimiter(
      [
        { limit: 2, intervalMs: 1000 },
        { limit: 3, intervalMs: 10_000 },
      ],
      time,
    );
    const grantedAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.acquire();
      grantedAt.push(time.now());
    }
    expect(grantedAt).toEqual([0, 0, 1000, 10_000, 10_000]);
  });

  it('does not let concurrent acquirers overdraw a window', async () => {
    const time = createTestClock();
    const limiter = createWindowLimiter([{ limit: 2, intervalMs: 1000 }], time);
    const grantedAt: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire().then(() => grantedAt.push(time.now()))));
    expect(grantedAt).toEqual([0, 0, 1000, 1000, 2000]);
  });

  it('holds everyone back for a Retry-After pause, the longer pause winning', async () => {
    const time = createTestClock();
    const limiter = createWindowLimiter([{ limit: 100, intervalMs: 1000 }], time);
    limiter.pause(3000);
    limiter.pause(500);
    await limiter.acquire();
    expect(time.now()).toBe(3000);
  });

  it('rejects a window that could never grant', () => {
    expect(() => createWindowLimiter([{ limit: 0, intervalMs: 1000 }], createTestClock())).toThrow(/whole limit/);
  });

  it('keeps endpoints apart and names an unknown one', async () => {
    const time = createTestClock();
    const limiters = createEndpointLimiters(
      { slow: [{ limit: 1, intervalMs: 1000 }], fast: [{ limit: 10, intervalMs: 1000 }] },
      time,
    );
    await limiters.acquire('slow');
    await limiters.acquire('fast');
    await limiters.acquire('fast');
    expect(time.now()).toBe(0);
    await limiters.acquire('slow');
    expect(time.now()).toBe(1000);
    expect(() => limiters.acquire('other' as 'slow')).toThrow(/"other"/);
  });
});
