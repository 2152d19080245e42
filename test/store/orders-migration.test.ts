import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { StoredOrder } from '../../src/store/orders.ts';

/** The schema version before migration 9 (compact orders). */
const BEFORE_COMPACT_ORDERS = 8;

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

/** A store file at schema 8 holding `rows` in the old orders table (GID text, JSON line items). */
function oldStore(rows: readonly (readonly unknown[])[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiersync-old-store-'));
  dirs.push(dir);
  const path = join(dir, 'shop.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db, BEFORE_COMPACT_ORDERS);
  const insert = db.prepare(
    'INSERT INTO orders (id, customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const row of rows) insert.run(...row);
  db.close();
  return path;
}

describe('order store: migration to compact orders', () => {
  it('reads back every fact of the old rows, in their ingest order', () => {
    const path = oldStore([
      ['gid://shopify/Order/5100003507', 'gid://shopify/Customer/7100001180', 'hannah@example.com', 1733212738000, 1796126052336, 5840, 'USD', 0, 0, '[["Kitchen",1],["Accessories",3]]'],
      ['#1001', 'c1', null, 1000, 2000, 0, null, 1, 1, '[]'],
      ['gid://shopify/Order/0123', 'gid://shopify/Customer/1234567890123456', 'x@example.com', 5, 6, -250, 'EUR', 0, 1, '[["",2],["Kitchen",-1],["Hats",1]]'],
      ['gid://shopify/Order/42', null, 'guest@example.com', 7, 8, 100, 'USD', 1, 0, '[["Hats",1]]'],
      ['12', '7', null, 9, 10, 1, 'USD', 0, 0, '[["Kitchen",1]]'],
    ]);
    const store = openStore(path);
    const expected: StoredOrder[] = [
      {
        id: 'gid://shopify/Order/5100003507', customerId: 'gid://shopify/Customer/7100001180', email: 'hannah@example.com', processedAt: 1733212738000,
        updatedAt: 1796126052336, totalCents: 5840, currency: 'USD', cancelled: false, test: false,
        lines: [{ productType: 'Kitchen', quantity: 1 }, { productType: 'Accessories', quantity: 3 }],
      },
      { id: '#1001', customerId: 'c1', email: null, processedAt: 1000, updatedAt: 2000, totalCents: 0, currency: null, cancelled: true, test: true, lines: [] },
      {
        id: 'gid://shopify/Order/0123', customerId: 'gid://shopify/Customer/1234567890123456', email: 'x@example.com', processedAt: 5, updatedAt: 6,
        totalCents: -250, currency: 'EUR', cancelled: false, test: true,
        lines: [{ productType: '', quantity: 2 }, { productType: 'Kitchen', quantity: -1 }, { productType: 'Hats', quantity: 1 }],
      },
      {
        id: 'gid://shopify/Order/42', customerId: null, email: 'guest@example.com', processedAt: 7, updatedAt: 8, totalCents: 100, currency: 'USD',
        cancelled: true, test: false, lines: [{ productType: 'Hats', quantity: 1 }],
      },
      { id: '12', customerId: '7', email: null, processedAt: 9, updatedAt: 10, totalCents: 1, currency: 'USD', cancelled: false, test: false, lines: [{ productType: 'Kitchen', quantity: 1 }] },
    ];
    expect([...store.orders.iterateOrders()]).toEqual(expected);
    expect(store.orders.getOrder('gid://shopify/Order/42')).toEqual(expected[3]);
    expect(store.orders.getOrder('12')).toEqual(expected[4]);
    expect(store.orders.getOrder('gid://shopify/Order/12')).toBeNull();
    expect(store.orders.countOrders()).toBe(5);
    expect(store.orders.mostCommonCurrency()).toBe('USD');
    store.close();
  });

  it('keeps GIDs as numbers, other ids as text, and line items as product type numbers', () => {
    const path = oldStore([
      ['gid://shopify/Order/5100003507', 'gid://shopify/Customer/7100001180', null, 1, 2, 3, 'USD', 0, 0, '[["Kitchen",1],["Accessories",3]]'],
      ['12', '7', null, 1, 2, 3, 'USD', 0, 0, '[]'],
    ]);
    openStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT id, typeof(id), customer_id, typeof(customer_id), lines FROM orders ORDER BY rowid').raw(true).all()).toEqual([
      [5100003507, 'integer', 7100001180, 'integer', '2,1*3'],
      ['12', 'text', '7', 'text', ''],
    ]);
    expect(db.prepare('SELECT id, name FROM order_product_types ORDER BY id').raw(true).all()).toEqual([[1, 'Accessories'], [2, 'Kitchen']]);
    db.close();
  });

  it('keeps the lift of held-out customers identical (orders joined by customer GID)', () => {
    const path = oldStore([
      ['gid://shopify/Order/1', 'gid://shopify/Customer/1', null, 999, 1, 100, 'USD', 0, 0, '[]'],
      ['gid://shopify/Order/2', 'gid://shopify/Customer/1', null, 1000, 1, 250, 'USD', 0, 0, '[]'],
      ['gid://shopify/Order/3', 'gid://shopify/Customer/2', null, 4000, 1, 900, 'USD', 0, 0, '[]'],
      ['gid://shopify/Order/4', 'gid://shopify/Customer/2', null, 4100, 1, 50, 'USD', 1, 0, '[]'],
      ['o5', 'c3', null, 4200, 1, 70, 'USD', 0, 0, '[]'],
    ]);
    const store = openStore(path);
    store.holdouts.assign([
      { customerId: 'gid://shopify/Customer/1', assignedAt: 1000, segment: 'vip', heldOut: true },
      { customerId: 'gid://shopify/Customer/2', assignedAt: 3000, segment: 'vip', heldOut: false },
      { customerId: 'c3', assignedAt: 1000, segment: 'mid_tier', heldOut: false },
    ]);
    // By customer id: 'c3' sorts before the GIDs.
    expect([...store.holdouts.iterateOutcomes(0)]).toEqual([
      { segment: 'mid_tier', heldOut: false, orders: 1, revenueCents: 70 },
      { segment: 'vip', heldOut: true, orders: 1, revenueCents: 250 },
      { segment: 'vip', heldOut: false, orders: 1, revenueCents: 900 },
    ]);
    store.close();
  });
});
