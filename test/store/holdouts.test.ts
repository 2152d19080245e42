import { describe, expect, it } from 'vitest';
import type { StoredOrder } from '../../src/store/orders.ts';
import { tempStore } from './temp-store.ts';

const order = (id: string, customerId: string | null, processedAt: number, totalCents: number, over: Partial<StoredOrder> = {}): StoredOrder => ({
  id, customerId, email: null, processedAt, updatedAt: processedAt, totalCents, currency: 'EUR', cancelled: false, test: false, lines: [], ...over,
});

describe('holdout store', () => {
  it('keeps the first salt it is given', () => {
    const { store } = tempStore();
    expect(store.holdouts.salt()).toBeNull();
    expect(store.holdouts.ensureSalt('aaaa')).toBe('aaaa');
    expect(store.holdouts.ensureSalt('bbbb')).toBe('aaaa');
    expect(store.holdouts.salt()).toBe('aaaa');
  });

  it('records each customer once, with the time and segment of the first assignment', () => {
    const { store } = tempStore();
    expect(store.holdouts.assign([
      { customerId: 'c1', assignedAt: 1000, segment: 'vip', heldOut: true },
      { customerId: 'c2', assignedAt: 1000, segment: 'vip', heldOut: false },
      { customerId: 'c3', assignedAt: 1000, segment: 'mid_tier', heldOut: false },
    ])).toBe(3);
    expect(store.holdouts.assign([{ customerId: 'c1', assignedAt: 5000, segment: 'mid_tier', heldOut: false }])).toBe(0);
    expect([store.holdouts.heldOut('c1'), store.holdouts.heldOut('c2'), store.holdouts.heldOut('c9')]).toEqual([true, false, null]);
    expect(store.holdouts.cohorts()).toEqual(new Map([['mid_tier', { assigned: 1, heldOut: 0 }], ['vip', { assigned: 2, heldOut: 1 }]]));
    expect([store.holdouts.countAssigned(), store.holdouts.firstAssignedAt()]).toEqual([3, 1000]);
  });

  it('streams each assigned customer with the counted orders since assignment and since', () => {
    const { store } = tempStore();
    store.holdouts.assign([
      { customerId: 'c1', assignedAt: 1000, segment: 'vip', heldOut: true },
      { customerId: 'c2', assignedAt: 3000, segment: 'vip', heldOut: false },
      { customerId: 'c3', assignedAt: 1000, segment: 'mid_tier', heldOut: false },
    ]);
    store.orders.upsertOrders([
      order('o1', 'c1', 999, 100), // before assignment
      order('o2', 'c1', 1000, 250),
      order('o3', 'c1', 2000, 300),
      order('o4', 'c2', 2500, 700), // before c2's assignment
      order('o5', 'c2', 4000, 900),
      order('o6', 'c2', 4100, 50, { cancelled: true }),
      order('o7', 'c2', 4200, 60, { test: true }),
      order('o8', null, 4300, 70),
      order('o9', 'c4', 4400, 80), // not assigned
    ]);
    expect([...store.holdouts.iterateOutcomes(0)]).toEqual([
      { segment: 'vip', heldOut: true, orders: 2, revenueCents: 550 },
      { segment: 'vip', heldOut: false, orders: 1, revenueCents: 900 },
      { segment: 'mid_tier', heldOut: false, orders: 0, revenueCents: 0 },
    ]);
    expect([...store.holdouts.iterateOutcomes(1500)].map((o) => o.revenueCents)).toEqual([300, 900, 0]);
    expect(store.orders.mostCommonCurrency()).toBe('EUR');
  });
});
