import { describe, expect, it } from 'vitest';
import { defaultStorePath } from '../../src/store/open-store.ts';
import type { StoredCustomer } from '../../src/store/customers.ts';
import { tempStore } from './temp-store.ts';

const alice: StoredCustomer = {
  id: '7100000002',
  email: 'alice@example.com',
  tags: ['wholesale', 'ltv:vip'],
  rfmGroup: 'CHAMPIONS',
  predictedSpendTier: 'HIGH',
  updatedAt: 1000,
};

describe('order store: customers and cursors', () => {
  it('upserts customers by id, the latest read winning, and iterates them by id', () => {
    const { store } = tempStore();
    const bob: StoredCustomer = { ...alice, id: '7100000001', email: null, tags: [], rfmGroup: null, predictedSpendTier: null };
    store.customers.upsertCustomers([alice, bob]);
    const aliceLater = { ...alice, tags: ['wholesale'], updatedAt: 500 };
    store.customers.upsertCustomers([aliceLater]);
    expect(store.customers.countCustomers()).toBe(2);
    expect(store.customers.getCustomer(alice.id)).toEqual(aliceLater);
    expect([...store.customers.iterateCustomers()]).toEqual([bob, aliceLater]);
  });

  it('rejects a customer whose tags are not strings', () => {
    const { store } = tempStore();
    expect(() => store.customers.upsertCustomers([{ ...alice, tags: [1] as unknown as string[] }])).toThrow(/customer 0 \(7100000002\).*tags/s);
  });

  it('stores cursors by key', () => {
    const { store } = tempStore();
    expect(store.cursors.getCursor('orders.updatedAt')).toBeNull();
    store.cursors.setCursor('orders.updatedAt', '2026-01-01T00:00:00Z');
    store.cursors.setCursor('orders.updatedAt', '2026-02-01T00:00:00Z');
    expect(store.cursors.getCursor('orders.updatedAt')).toBe('2026-02-01T00:00:00Z');
  });

  it('puts each shop in its own file under .tiersync with a safe name', () => {
    expect(defaultStorePath('demo.myshopify.com', '/srv')).toBe('/srv/.tiersync/demo.myshopify.com.db');
    expect(defaultStorePath('../evil/shop')).toBe('.tiersync/.._evil_shop.db');
  });
});
