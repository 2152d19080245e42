import { describe, expect, it } from 'vitest';
import { createCohortRevenue } from '../../../src/report/html/cohort-revenue.ts';
import { AS_OF, order } from '../../helpers/orders.ts';

describe('createCohortRevenue', () => {
  it('sums revenue within 90/180/365 days of the first order, over customers old enough for the window', () => {
    const cohorts = createCohortRevenue(AS_OF);
    // AS_OF = 2026-01-01. Customer a: first order 400 days before (2024-11-27), later orders fed first.
    [
      order('a', 311, 5000), // 89 days after the first: in all windows
      order('a', 310, 2000), // 90 days after: in 180 and 365
      order('a', 36, 500), // 364 days after: in 365 only
      order('a', 35, 700), // 365 days after: in none
      order('a', 400, 10_000),
      // b: 2024-11-07, one order; its cancelled and test orders do not count.
      order('b', 420, 3000),
      order('b', 410, 100_000, { cancelled: true }),
      order('b', 405, 100_000, { test: true }),
      // c: 2025-09-23, 100 days old: only the 90-day window has elapsed.
      order('c', 100, 4000),
      // A guest order and an order after as-of are not counted.
      order(null, 50, 9999),
      order('d', -1, 9999),
    ].forEach(cohorts.add);

    expect(cohorts.finish()).toEqual([
      {
        cohort: '2024-11',
        customers: 2,
        windows: [
          { days: 90, customers: 2, revenuePerCustomerCents: (15_000 + 3000) / 2 },
          { days: 180, customers: 2, revenuePerCustomerCents: (17_000 + 3000) / 2 },
          { days: 365, customers: 2, revenuePerCustomerCents: (17_500 + 3000) / 2 },
        ],
      },
      {
        cohort: '2025-09',
        customers: 1,
        windows: [
          { days: 90, customers: 1, revenuePerCustomerCents: 4000 },
          { days: 180, customers: 0, revenuePerCustomerCents: null },
          { days: 365, customers: 0, revenuePerCustomerCents: null },
        ],
      },
    ]);
  });

  it('rounds the per-customer average to whole minor units', () => {
    const cohorts = createCohortRevenue(AS_OF);
    [order('x', 200, 100), order('y', 201, 101), order('z', 202, 101)].forEach(cohorts.add);
    // 302 / 3 = 100.67 → 101.
    expect(cohorts.finish()[0]!.windows[0]!.revenuePerCustomerCents).toBe(101);
  });

  it('grows past its initial column capacity', () => {
    const cohorts = createCohortRevenue(AS_OF);
    for (let i = 0; i < 3000; i++) cohorts.add(order(`c${i % 10}`, 100, 1));
    const [only] = cohorts.finish();
    expect(only!.customers).toBe(10);
    expect(only!.windows[0]!.revenuePerCustomerCents).toBe(300);
  });
});
