import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { SCHEMA_VERSION } from '../../src/store/migrations.ts';
import type { StoredOrder } from '../../src/store/orders.ts';
import { tempStore } from './temp-store.ts';

function order(id: string, overrides: Partial<StoredOrder> = {}): StoredOrder {
  return {
    id,
    customerId: 'gid://shopify/Customer/1',
    email: 'a@example.com',
    processedAt: Date.UTC(2026, 0, 1),
    updatedAt: Date.UTC(2026, 0, 2),
    totalCents: 1999,
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [{ productType: 'Shoes', quantity: 2 }],
    ...overrides,
  };
}

describe('order store: orders', () => {
  it('creates the file in WAL mode at the current schema version', () => {
    const { store, path } = tempStore();
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('round-trips an order with its lines, nulls and flags', () => {
    const { store } = tempStore();
    const guest = order('gid://shopify/Order/2', {
      customerId: null,
      email: null,
      currency: null,
      cancelled: true,
      test: true,
      lines: [
        { productType: '', quantity: 1 },
        { productType: 'Hats', quantity: 3 },
      ],
    });
    store.orders.upsertOrders([guest]);
    expect(store.orders.getOrder(guest.id)).toEqual(guest);
    expect(store.orders.getOrder('missing')).toBeNull();
  });

  it('keeps an order seen twice once, and a later update replaces it, lines included', () => {
    const { store } = tempStore();
    const first = order('gid://shopify/Order/1');
    store.orders.upsertOrders([first, order('gid://shopify/Order/9')]);
    store.orders.upsertOrders([first]);
    const refunded = order('gid://shopify/Order/1', {
      updatedAt: first.updatedAt + 1000,
      totalCents: 500,
      cancelled: true,
      lines: [{ productType: 'Socks', quantity: 1 }],
    });
    store.orders.upsertOrders([refunded]);
    expect(store.orders.countOrders()).toBe(2);
    expect(store.orders.getOrder(first.id)).toEqual(refunded);
  });

  it('ignores a copy older than the stored order (an overlapping pull returning a stale page)', () => {
    const { store } = tempStore();
    const current = order('gid://shopify/Order/1', { updatedAt: 2000, totalCents: 700 });
    store.orders.upsertOrders([current]);
    store.orders.upsertOrders([order('gid://shopify/Order/1', { updatedAt: 1000, totalCents: 9999 })]);
    expect(store.orders.getOrder(current.id)?.totalCents).toBe(700);
  });

  it('iterates every order in ingest order', () => {
    const { store } = tempStore();
    store.orders.upsertOrders([order('c'), order('a')]);
    store.orders.upsertOrders([order('b'), order('a', { updatedAt: Date.UTC(2026, 5, 1) })]);
    expect([...store.orders.iterateOrders()].map((o) => o.id)).toEqual(['c', 'a', 'b']);
  });

  it('rejects an invalid order naming it and the field, and writes none of the batch', () => {
    const { store } = tempStore();
    const bad = { ...order('gid://shopify/Order/5'), totalCents: 12.5 };
    expect(() => store.orders.upsertOrders([order('gid://shopify/Order/4'), bad])).toThrow(
      /order 1 \(gid:\/\/shopify\/Order\/5\).*totalCents/s,
    );
    expect(store.orders.countOrders()).toBe(0);
  });

  it('keeps its data across close and reopen', () => {
    const { store, path } = tempStore();
    store.orders.upsertOrders([order('x')]);
    store.close();
    const reopened = openStore(path);
    expect(reopened.orders.getOrder('x')).toEqual(order('x'));
    reopened.close();
  });

  it('loads a first export into an empty table, copies of an order ending up as upserting them would leave them', () => {
    const { store } = tempStore();
    const load = store.orders.startBulkLoad();
    expect(load).not.toBeNull();
    load!.append([order('gid://shopify/Order/3'), order('gid://shopify/Order/1', { totalCents: 100 }), order('gid://shopify/Order/2')]);
    load!.append([
      order('gid://shopify/Order/1', { totalCents: 200 }),
      order('gid://shopify/Order/2', { updatedAt: Date.UTC(2025, 0, 1), totalCents: 5 }), // older: ignored
      order('gid://shopify/Order/1', { totalCents: 300, lines: [] }),
    ]);
    load!.finish();
    expect([...store.orders.iterateOrders()].map((o) => [o.id, o.totalCents, o.lines.length])).toEqual([
      ['gid://shopify/Order/3', 1999, 1],
      ['gid://shopify/Order/1', 300, 0],
      ['gid://shopify/Order/2', 1999, 1],
    ]);
    store.orders.upsertOrders([order('gid://shopify/Order/3', { totalCents: 7 })]);
    expect(store.orders.getOrder('gid://shopify/Order/3')?.totalCents).toBe(7);
    expect(store.orders.countOrders()).toBe(3);
    expect(store.orders.startBulkLoad()).toBeNull();
  });

  it('builds the id index when it opens a store whose load was cut short', () => {
    const { store, path } = tempStore();
    store.orders.startBulkLoad()!.append([order('gid://shopify/Order/1'), order('gid://shopify/Order/1', { totalCents: 5 })]);
    store.close();
    const reopened = openStore(path);
    reopened.orders.upsertOrders([order('gid://shopify/Order/2')]);
    expect([...reopened.orders.iterateOrders()].map((o) => [o.id, o.totalCents])).toEqual([
      ['gid://shopify/Order/1', 5],
      ['gid://shopify/Order/2', 1999],
    ]);
    reopened.close();
  });

  it('refuses a file written by a newer schema', () => {
    const { store, path } = tempStore();
    store.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(/schema version .*newer/);
  });
});
