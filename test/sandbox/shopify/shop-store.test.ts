import { describe, expect, it } from 'vitest';
import { encodeMoney, isoTime } from '../../../src/sandbox/shopify/compact-columns.ts';
import { createShopStore } from '../../../src/sandbox/shopify/shop-store.ts';
import type { ShopRecord, SynthCustomer, SynthOrder } from '../../../src/synth/types.ts';

const order = (id: string, over: Partial<SynthOrder> = {}): SynthOrder => ({
  id, name: `#${1000 + Number(id.slice(-1))}`, customerId: '7100000001', email: 'a@example.com', createdAt: '2026-01-02T03:04:05Z',
  processedAt: '2026-01-02T03:04:05Z', updatedAt: '2026-01-03T00:00:00.250Z', cancelledAt: null, test: false, currencyCode: 'USD',
  subtotalPrice: '10.99', totalShipping: '0.00', totalTax: '1.10', totalPrice: '12.09', totalRefunded: '0.00', currentTotalPrice: '12.09',
  lines: [{ id: '8100000001', title: 'Mug', productType: 'Home', quantity: 2, unitPrice: '5.49' }], ...over,
});
const customer = (id: string, over: Partial<SynthCustomer> = {}): SynthCustomer => ({
  id, email: `${id}@example.com`, firstName: 'Ann', lastName: 'Lee', tags: ['b', 'A'], createdAt: '2025-12-01T00:00:00Z', updatedAt: '2026-01-03T00:00:00Z', ...over,
});

describe('the compact shop store', () => {
  // Rows that would not format back to their exact text (a time with an offset, an amount with
  // three decimals, a non-numeric id) are kept as objects: the answers are the same either way.
  const odd = order('5100000003', { processedAt: '2026-01-02T04:04:05+01:00', totalTax: '1.100' });
  const records: ShopRecord[] = [
    { kind: 'customer', customer: customer('7100000001'), orders: [order('5100000001'), order('5100000002', { cancelledAt: '2026-01-05T00:00:00Z', test: true })] },
    { kind: 'guest-order', order: odd },
    { kind: 'customer', customer: customer('x-legacy', { createdAt: 'yesterday' }), orders: [] },
  ];

  it('answers every order and customer exactly as loaded, in load order', () => {
    const store = createShopStore(records);
    expect([...store.orders()]).toEqual([order('5100000001'), order('5100000002', { cancelledAt: '2026-01-05T00:00:00Z', test: true }), odd]);
    expect(store.order('5100000003')).toEqual(odd);
    expect(store.customer('7100000001')).toEqual({
      id: '7100000001', email: '7100000001@example.com', firstName: 'Ann', lastName: 'Lee', tags: ['A', 'b'], createdAt: '2025-12-01T00:00:00Z',
      updatedAt: '2026-01-03T00:00:00Z', metafields: new Map(), orderIds: ['5100000001', '5100000002'],
    });
    expect(store.customer('x-legacy')?.createdAt).toBe('yesterday');
    expect([store.customerCount(), store.orderCount(), store.currencyCode]).toEqual([2, 3, 'USD']);
  });

  it('keeps a changed customer (tags, metafields, times with milliseconds) and goes back to the loaded shop on reset', () => {
    const store = createShopStore(records);
    const metafield = { id: '9100000001', namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', value: 'vip', createdAt: '2026-02-01T00:00:00.123Z', updatedAt: '2026-02-01T00:00:00.123Z' };
    store.updateCustomer('7100000001', (row) => ({ ...row, tags: ['ltv:vip', 'A', 'b'], updatedAt: '2026-02-01T00:00:00.123Z', metafields: new Map([['tiersync.tier', metafield]]) }));
    const changed = store.customer('7100000001')!;
    expect([changed.tags, changed.updatedAt, [...changed.metafields.values()]]).toEqual([['ltv:vip', 'A', 'b'], '2026-02-01T00:00:00.123Z', [metafield]]);
    store.putOrder(order('5100000009', { name: '#1009' }));
    expect(store.customer('7100000001')?.orderIds).toEqual(['5100000001', '5100000002', '5100000009']);
    store.reset();
    expect(store.customer('7100000001')?.tags).toEqual(['A', 'b']);
    expect(store.customer('7100000001')?.metafields.size).toBe(0);
    expect(store.order('5100000009')).toBeUndefined();
  });
});

describe('the compact columns’ exact encodings', () => {
  it('reads ISO times and two-digit amounts that format back to the same text, and nothing else', () => {
    expect(isoTime.encode('2024-02-29T12:00:00Z')).toEqual({ ms: 1709208000000, withMs: false });
    expect(isoTime.encode('2026-01-01T00:00:00.000Z')).toEqual({ ms: 1767225600000, withMs: true });
    expect(isoTime.encode('1969-12-31T23:59:59Z')).toEqual({ ms: -1000, withMs: false });
    for (const odd of ['2023-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-1a-01T00:00:00Z', '2026-01-01T00:00:00.12Z', '2026-01-02T04:04:05+01:00']) {
      expect(isoTime.encode(odd)).toBeNull();
    }
    expect([encodeMoney('0.05', 'USD'), encodeMoney('12.00', 'USD'), encodeMoney('-1.00', 'USD'), encodeMoney('1500', 'JPY')]).toEqual([5, 1200, -100, 1500]);
    for (const odd of ['00.05', '1.5', '1.100', '1,000.00']) expect(encodeMoney(odd, 'USD')).toBeNull();
  });
});
