import { describe, expect, it } from 'vitest';
import { ageInDays, compareIds, computeFacts } from '../../src/core/facts.ts';
import { DAY_MS } from '../../src/core/order.ts';
import { AS_OF, FACT_OPTIONS, order } from '../helpers/orders.ts';

const one = (orders: Parameters<typeof computeFacts>[0]) => {
  const { customers } = computeFacts(orders, FACT_OPTIONS);
  expect(customers).toHaveLength(1);
  return customers[0]!;
};

describe('order facts', () => {
  it('takes an order age as whole days, rounding down', () => {
    expect(ageInDays(AS_OF.getTime(), AS_OF.getTime() - DAY_MS + 1)).toBe(0);
    expect(ageInDays(AS_OF.getTime(), AS_OF.getTime() - DAY_MS)).toBe(1);
    expect(ageInDays(AS_OF.getTime(), AS_OF.getTime() - 30.99 * DAY_MS)).toBe(30);
  });

  it('sums count, revenue, AOV and the 365-day window (age < 365 is inside)', () => {
    const c = one([order('a', 364, 1000), order('a', 365, 2000), order('a', 10, 501)]);
    expect(c.orders).toBe(3);
    expect(c.revenueCents).toBe(3501);
    expect(c.aovCents).toBe(1167); // 3501 / 3 = 1167.0
    expect(c.ordersLast365).toBe(2);
    expect(c.revenueLast365Cents).toBe(1501);
    expect(c.daysSinceLast).toBe(10);
    expect(c.tenureDays).toBe(365);
  });

  it('counts LTV over the 730-day history window only, but count and first order over every order', () => {
    const c = one([order('a', 729, 100), order('a', 730, 10_000), order('a', 1000, 5)]);
    expect(c.ltvCents).toBe(100);
    expect(c.orders).toBe(3);
    expect(c.tenureDays).toBe(1000);
  });

  it('ignores orders after asOf, test and cancelled orders, and counts guests apart', () => {
    const { customers, counts } = computeFacts(
      [
        order('a', 5, 100),
        order('a', -1, 9999),
        order('a', 3, 9999, { test: true }),
        order('a', 2, 9999, { cancelled: true }),
        order(null, 4, 250),
        order(null, 6, 50),
      ],
      FACT_OPTIONS,
    );
    expect(customers.map((c) => [c.customerId, c.revenueCents, c.orders])).toEqual([['a', 100, 1]]);
    expect(counts).toEqual({ seen: 6, counted: 1, test: 1, cancelled: 1, afterAsOf: 1, guest: 2, guestRevenueCents: 300 });
  });

  it('an order at exactly asOf counts with age 0', () => {
    expect(one([order('a', 0, 100)]).daysSinceLast).toBe(0);
  });

  it('keeps zero-value and refunded-to-zero orders as orders with no revenue', () => {
    const c = one([order('a', 10, 0), order('a', 20, 0)]);
    expect(c.orders).toBe(2);
    expect(c.ltvCents).toBe(0);
    expect(c.aovCents).toBe(0);
  });

  it('computes the trend (180 days vs the 180 before) and improvement (365 vs 365 before)', () => {
    // ages: 10, 179 (recent 180); 180, 359 (before); 400 (improvement before)
    const c = one([order('a', 10, 1), order('a', 179, 1), order('a', 180, 1), order('a', 359, 1), order('a', 360, 1), order('a', 400, 1)]);
    expect(c.orderTrend).toBe(2 - 2);
    expect(c.orderImprovement).toBe(5 - 1);
  });

  it('puts the cohort in the UTC month of the first order', () => {
    const c = one([order('a', 0, 1, { processedAt: Date.parse('2025-03-31T23:30:00-05:00') })]);
    expect(c.cohort).toBe('2025-04');
  });

  it('picks the top category by quantity, ties alphabetical, unknown types ignored', () => {
    const lines = (...l: [string, number][]) => ({ lines: l.map(([productType, quantity]) => ({ productType, quantity })) });
    expect(one([order('a', 1, 1, lines(['Shoes', 2], ['Hats', 1])), order('a', 2, 1, lines(['Hats', 1], ['', 9]))]).topCategory).toBe('Hats');
    expect(one([order('a', 1, 1, lines(['Shoes', 3], ['Hats', 1]))]).topCategory).toBe('Shoes');
    expect(one([order('a', 1, 1)]).topCategory).toBeNull();
  });

  it('takes the email of the most recent order that has one', () => {
    const c = one([order('a', 1, 1, { email: null }), order('a', 5, 1, { email: 'new@x.com' }), order('a', 9, 1, { email: 'old@x.com' })]);
    expect(c.email).toBe('new@x.com');
  });

  it('sorts customers by id naturally and deterministically', () => {
    const { customers } = computeFacts([order('10', 1, 1), order('9', 1, 1), order('b', 1, 1), order('a', 1, 1)], FACT_OPTIONS);
    expect(customers.map((c) => c.customerId)).toEqual(['9', 'a', 'b', '10']);
    expect(['gid://shopify/Customer/10', 'gid://shopify/Customer/9'].sort(compareIds)).toEqual(['gid://shopify/Customer/9', 'gid://shopify/Customer/10']);
  });
});

describe('top category with many product types', () => {
  it('stays exact past 256 distinct product types (spilled keys)', () => {
    const types = Array.from({ length: 300 }, (_, i) => `type-${String(i).padStart(3, '0')}`);
    const orders = types.map((productType, i) => order('a', 1, 1, { lines: [{ productType, quantity: i === 280 ? 5 : 1 }] }));
    orders.push(order('b', 1, 1, { lines: [{ productType: 'type-299', quantity: 2 }, { productType: 'type-000', quantity: 1 }] }));
    const { customers } = computeFacts(orders, FACT_OPTIONS);
    expect(customers.map((c) => c.topCategory)).toEqual(['type-280', 'type-299']);
  });

  it('adds units across the inline pair and the map alike, ties alphabetical', () => {
    const buys = (...pairs: [string, number][]) => order('a', 1, 1, { lines: pairs.map(([productType, quantity]) => ({ productType, quantity })) });
    // Hats and Shoes inline; Bags and Socks in the map; Socks reaches 4 over three orders.
    expect(one([buys(['Hats', 2], ['Shoes', 3]), buys(['Bags', 1], ['Socks', 2]), buys(['Socks', 2], ['Hats', 1])]).topCategory).toBe('Socks');
    expect(one([buys(['Shoes', 3]), buys(['Hats', 1], ['Bags', 3])]).topCategory).toBe('Bags');
    expect(one([buys(['Shoes', 1], ['Hats', 3]), buys(['Bags', 2], ['Shoes', 2])]).topCategory).toBe('Hats');
  });
});
