import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Order, OrderLine } from '../core/order.ts';
import { InternalError } from '../errors.ts';
import { createOrderLineCodec } from './order-lines.ts';
import { decodeCustomerId, decodeOrderId, encodeCustomerId, encodeOrderId } from './order-keys.ts';

/** An order as the store keeps it: the normalised {@link Order} and when the source last changed it. */
export interface StoredOrder extends Order {
  /** The source's `updatedAt`, epoch ms UTC; a write older than the stored one is ignored. */
  readonly updatedAt: number;
}

const epochMs = z.number().int().nonnegative();

const storedOrderSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1).nullable(),
  email: z.string().nullable(),
  processedAt: epochMs,
  updatedAt: epochMs,
  totalCents: z.number().int(),
  currency: z.string().nullable(),
  cancelled: z.boolean(),
  test: z.boolean(),
  lines: z.array(z.object({ productType: z.string(), quantity: z.number().int() })),
});

export interface OrderRepository {
  /**
   * Inserts or updates orders by id in one transaction. Idempotent: the same order twice ends
   * up once; an order with a newer (or equal) `updatedAt` replaces the stored one, line items
   * included; an older copy (a late page of an overlapping pull) is ignored.
   */
  upsertOrders(orders: readonly StoredOrder[]): void;
  /** Every stored order in ingest order (an update keeps an order's place). Do not write to the store while iterating. */
  iterateOrders(): Generator<StoredOrder>;
  getOrder(id: string): StoredOrder | null;
  countOrders(): number;
  /** The most common order currency (ties alphabetical), or null when no order names one. */
  mostCommonCurrency(): string | null;
}

type OrderRow = [number | string, number | string | null, string | null, number, number, number, string | null, number, number, string];

/**
 * Order persistence over an open, migrated database. A row is mostly numbers (about 75 bytes
 * with its index entry, against 200 as GID text and JSON): ids as in order-keys.ts, line items
 * as in order-lines.ts.
 *
 * @example
 * const orders = createOrderRepository(db);
 * orders.upsertOrders([{ id: 'gid://shopify/Order/1', customerId: '7', email: null, processedAt: 0,
 *   updatedAt: 0, totalCents: 1250, currency: 'USD', cancelled: false, test: false, lines: [] }]);
 */
export function createOrderRepository(db: Database.Database): OrderRepository {
  const upsert = db.prepare(`
    INSERT INTO orders (id, customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
      customer_id = excluded.customer_id, email = excluded.email, processed_at = excluded.processed_at,
      updated_at = excluded.updated_at, total_cents = excluded.total_cents, currency = excluded.currency,
      cancelled = excluded.cancelled, test = excluded.test, lines = excluded.lines
    WHERE excluded.updated_at >= orders.updated_at`);
  const selectColumns =
    'SELECT id, customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines FROM orders';
  const all = db.prepare(`${selectColumns} ORDER BY rowid`).raw(true);
  const one = db.prepare(`${selectColumns} WHERE id = ?`).raw(true);
  const count = db.prepare('SELECT count(*) FROM orders').pluck(true);
  const commonCurrency = db
    .prepare('SELECT currency FROM orders WHERE currency IS NOT NULL GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1')
    .pluck(true);

  const lines = createOrderLineCodec(db);
  const upsertAll = db.transaction((orders: readonly StoredOrder[]) => {
    for (const order of orders) {
      upsert.run(
        encodeOrderId(order.id),
        order.customerId === null ? null : encodeCustomerId(order.customerId),
        order.email,
        order.processedAt,
        order.updatedAt,
        order.totalCents,
        order.currency,
        order.cancelled ? 1 : 0,
        order.test ? 1 : 0,
        lines.encode(order.lines),
      );
    }
  });
  const rowToOrder = (row: OrderRow): StoredOrder => {
    const [id, customerId, email, processedAt, updatedAt, totalCents, currency, cancelled, test, encodedLines] = row;
    return {
      id: decodeOrderId(id),
      customerId: customerId === null ? null : decodeCustomerId(customerId),
      email,
      processedAt,
      updatedAt,
      totalCents,
      currency,
      cancelled: cancelled === 1,
      test: test === 1,
      lines: lines.decode(encodedLines),
    };
  };

  return {
    upsertOrders(orders) {
      orders.forEach((order, index) => {
        const result = storedOrderSchema.safeParse(order);
        if (!result.success) {
          throw new InternalError(`order store: order ${index} (${String(order?.id)}) is invalid: ${z.prettifyError(result.error)}`);
        }
      });
      try {
        upsertAll(orders);
      } catch (error) {
        lines.reload();
        throw error;
      }
    },
    *iterateOrders() {
      for (const row of all.iterate() as Iterable<OrderRow>) yield rowToOrder(row);
    },
    getOrder(id) {
      const row = one.get(encodeOrderId(id)) as OrderRow | undefined;
      return row ? rowToOrder(row) : null;
    },
    countOrders() {
      return count.get() as number;
    },
    mostCommonCurrency() {
      return (commonCurrency.get() as string | undefined) ?? null;
    },
  };
}
