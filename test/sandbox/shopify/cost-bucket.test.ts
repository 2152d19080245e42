import { describe, expect, it } from 'vitest';
import { createCostBucket, PLAN_LIMITS } from '../../../src/sandbox/shopify/graphql/cost-bucket.ts';
import { createTestClock } from '../../helpers/clock.ts';

const clock = (start = 1_000_000) => createTestClock(start);

describe('createCostBucket', () => {
  it('starts full with the plan figures', () => {
    const time = clock();
    expect(createCostBucket({ plan: 'standard', now: time.now }).status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 });
    expect(createCostBucket({ plan: 'plus', now: time.now }).status()).toEqual({ maximumAvailable: 20000, currentlyAvailable: 20000, restoreRate: 1000 });
    expect(PLAN_LIMITS.advanced.restoreRate).toBe(200);
    expect(PLAN_LIMITS.enterprise.restoreRate).toBe(2000);
  });

  it('charges what is available and refuses more without charging', () => {
    const time = clock();
    const bucket = createCostBucket({ plan: 'standard', now: time.now });
    expect(bucket.take(1500)).toBe(true);
    expect(bucket.take(600)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(500);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
  });

  it('restores at the plan rate, capped at the bucket size, and refunds', () => {
    const time = clock();
    const bucket = createCostBucket({ plan: 'standard', now: time.now });
    bucket.take(2000);
    time.advance(2_500);
    expect(bucket.status().currentlyAvailable).toBe(250);
    bucket.refund(100);
    expect(bucket.status().currentlyAvailable).toBe(350);
    time.advance(60_000);
    expect(bucket.status().currentlyAvailable).toBe(2000);
  });

  it('restores timeScale times faster but reports the plan rate', () => {
    const time = clock();
    const bucket = createCostBucket({ plan: 'standard', now: time.now, timeScale: 10 });
    bucket.take(2000);
    time.advance(1_000);
    expect(bucket.status()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1000, restoreRate: 100 });
  });
});
