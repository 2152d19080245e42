import { describe, expect, it } from 'vitest';
import { createCostScheduler } from '../../src/http/cost-scheduler.ts';
import { createTestClock } from '../helpers/clock.ts';

describe('createCostScheduler', () => {
  it('sends the first request without waiting: nothing is known before a response', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    await scheduler.acquire(1000);
    expect(clock.sleeps).toEqual([]);
    expect(scheduler.snapshot().maximumAvailable).toBeNull();
  });

  it('waits (requested − available) / restoreRate before a query the bucket cannot hold yet', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    scheduler.observe({ maximumAvailable: 2000, currentlyAvailable: 100, restoreRate: 100 }, 10);
    await scheduler.acquire(600);
    // (600 − 100) / 100 = 5 s; the 600 points are then spent, so the next 600 need 6 s.
    await scheduler.acquire(600);
    expect(clock.sleeps).toEqual([5000, 6000]);
    expect(scheduler.snapshot()).toMatchObject({ maximumAvailable: 2000, restoreRate: 100, waits: 2, waitedMs: 11000 });
  });

  it('does not wait when the refilled bucket already holds the cost', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    scheduler.observe({ maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 }, 10);
    clock.advance(4000); // 0 + 4 s × 50 = 200 points
    await scheduler.acquire(200);
    expect(clock.sleeps).toEqual([]);
  });

  it('never waits for more than a full bucket', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    scheduler.observe({ maximumAvailable: 500, currentlyAvailable: 0, restoreRate: 100 }, 0);
    await scheduler.acquire(1000);
    expect(clock.sleeps).toEqual([5000]);
  });

  it('serves concurrent callers in turn, so they never spend the same points', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    scheduler.observe({ maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 100 }, 0);
    await Promise.all([scheduler.acquire(100), scheduler.acquire(100)]);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('uses the measured restore rate when the other side restores clearly faster than it reports (a time-scaled sandbox)', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    const status = (available: number) => ({ maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 });
    scheduler.observe(status(200), 0);
    // Each 500 ms: charged 100, available up 400 → 500 points restored, i.e. 1000 points/s.
    for (const available of [600, 1000, 1400]) {
      clock.advance(500);
      scheduler.observe(status(available), 100);
    }
    expect(scheduler.snapshot().measuredRestoreRate).toBe(1000);
    await scheduler.acquire(1900);
    // (1900 − 1400) / 1000 points a second = 500 ms, not the 5 s the reported 100/s would give.
    expect(clock.sleeps).toEqual([500]);
  });

  it('ignores intervals where the bucket may have reached its cap', async () => {
    const clock = createTestClock();
    const scheduler = createCostScheduler(clock);
    const status = (available: number) => ({ maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 50 });
    scheduler.observe(status(500), 0);
    clock.advance(10_000);
    scheduler.observe(status(990), 10); // 990 + 10 reaches the cap: not a sample
    clock.advance(500);
    scheduler.observe(status(900), 100);
    expect(scheduler.snapshot().measuredRestoreRate).toBeNull();
    await scheduler.acquire(1000);
    expect(clock.sleeps).toEqual([2000]); // (1000 − 900) / 50
  });

  it('keeps the reported rate when the measured one is close to it or below it (noise)', async () => {
    const status = (available: number) => ({ maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 });
    const near = createTestClock();
    const nearScheduler = createCostScheduler(near);
    nearScheduler.observe(status(500), 0);
    near.advance(1000);
    nearScheduler.observe(status(510), 110); // 120 points in 1 s: within noise of 100/s
    expect(nearScheduler.snapshot().measuredRestoreRate).toBe(120);
    await nearScheduler.acquire(1010);
    expect(near.sleeps).toEqual([5000]); // (1010 − 510) / 100

    const slow = createTestClock();
    const slowScheduler = createCostScheduler(slow);
    slowScheduler.observe(status(500), 0);
    slow.advance(1000);
    slowScheduler.observe(status(500), 50); // 50 points in 1 s
    expect(slowScheduler.snapshot().measuredRestoreRate).toBe(50);
    await slowScheduler.acquire(1000);
    expect(slow.sleeps).toEqual([5000]); // (1000 − 500) / 100
  });
});
