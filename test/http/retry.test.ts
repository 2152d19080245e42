import { describe, expect, it } from 'vitest';
import { RetriableError, ThrottledError } from '../../src/errors.ts';
import { retryDelayMs } from '../../src/http/retry.ts';

const details = { service: 'klaviyo', operation: 'GET /api/lists' } as const;
const policy = { baseDelayMs: 500, maxDelayMs: 30_000, random: () => 0.5 };

describe('retryDelayMs: the one backoff rule', () => {
  it('waits half the jittered ceiling 500 · 2^(attempt−1), capped at 30 s, when random() is 0.5', () => {
    const delays = [1, 2, 3, 7, 8].map((attempt) => retryDelayMs(new RetriableError('HTTP 503', details), attempt, policy));
    expect(delays).toEqual([250, 500, 1000, 15_000, 15_000]);
  });

  it('waits exactly what a throttled answer asked for', () => {
    expect(retryDelayMs(new ThrottledError('HTTP 429', details, 4_000), 5, policy)).toBe(4_000);
  });
});
