import { describe, expect, it } from 'vitest';
import { DAY_MS, type Order } from '../../src/core/order.ts';
import { summarizeOrders } from '../../src/model/rfm-summary.ts';
import { CALIBRATION_END, cdnowOrders, cdnowSummaryRows } from './cdnow.ts';

const at = (iso: string) => Date.parse(iso);
let nextId = 1;
function order(customerId: string | null, processedAt: string, totalCents: number, extra: Partial<Order> = {}): Order {
  return {
    id: String(nextId++),
    customerId,
    email: null,
    processedAt: at(processedAt),
    totalCents,
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [],
    ...extra,
  };
}

describe('summarizeOrders', () => {
  const asOf = new Date('2026-01-29T12:00:00Z');
  const orders = [
    order('a', '2026-01-01T09:00:00Z', 1000),
    order('a', '2026-01-08T10:00:00Z', 500),
    order('a', '2026-01-08T23:59:00Z', 700), // same UTC day: one purchase of 1200
    order('a', '2026-01-15T00:00:00Z', 2000),
    order('a', '2026-01-20T00:00:00Z', 9999, { cancelled: true }),
    order('a', '2026-01-21T00:00:00Z', 9999, { test: true }),
    order('a', '2026-02-03T00:00:00Z', 9999), // after asOf
    order(null, '2026-01-05T00:00:00Z', 4242), // guest
    order('b', '2026-01-22T15:00:00Z', 300),
  ];

  it('counts distinct UTC order days, sums values per day and averages the repeat days', () => {
    const [a, b] = summarizeOrders(orders, asOf, { timeUnit: 'day' });
    // days: Jan 1, Jan 8 (1200), Jan 15 (2000) → x = 2, t_x = 14 days, T = 28.5 days
    expect(a).toEqual({ customerId: 'a', frequency: 2, recency: 14, T: 28.5, monetaryValueCents: 1600, holdoutPurchases: 0 });
    expect(b).toEqual({ customerId: 'b', frequency: 0, recency: 0, T: 7.5, monetaryValueCents: 0, holdoutPurchases: 0 });
  });

  it('expresses recency and T in weeks', () => {
    const [a] = summarizeOrders(orders, asOf, { timeUnit: 'week' });
    expect(a!.recency).toBe(2);
    expect(a!.T).toBeCloseTo(28.5 / 7, 12);
  });

  it('counts the holdout purchase days after asOf, up to the holdout end', () => {
    const withHoldout = [
      ...orders,
      order('b', '2026-02-03T00:00:00Z', 100),
      order('b', '2026-02-03T08:00:00Z', 100), // same day: one purchase
      order('b', '2026-03-01T00:00:00Z', 100),
      order('b', '2026-03-02T00:00:00Z', 100), // after the holdout end
    ];
    const summaries = summarizeOrders(withHoldout, asOf, { timeUnit: 'day', holdoutEnd: new Date('2026-03-01T00:00:00Z') });
    expect(summaries.map((s) => [s.customerId, s.holdoutPurchases])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(summaries[1]!.frequency).toBe(0);
  });

  it('includes an order placed exactly at asOf', () => {
    const [c] = summarizeOrders([order('c', '2026-01-29T12:00:00Z', 100)], asOf, { timeUnit: 'day' });
    expect(c!.T).toBe(0.5);
  });

  it('reproduces the published CDNOW summary from the orders (weeks, as of 1997-09-30)', () => {
    const summaries = new Map(summarizeOrders(cdnowOrders(), CALIBRATION_END, { timeUnit: 'week' }).map((s) => [s.customerId, s]));
    const published = cdnowSummaryRows();
    expect(summaries.size).toBe(published.length);
    for (const row of published) {
      const mine = summaries.get(row.id)!;
      expect(mine.frequency).toBe(row.x);
      // the published file rounds to 2 decimals
      expect(Math.abs(mine.recency - row.tx)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(mine.T - row.T)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(mine.monetaryValueCents / 100 - row.zbar)).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('T of a first order at midnight is whole days', () => {
    const [d] = summarizeOrders([order('d', '2026-01-01T00:00:00Z', 1)], new Date(at('2026-01-01T00:00:00Z') + 3 * DAY_MS), { timeUnit: 'day' });
    expect(d!.T).toBe(3);
  });
});
