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
  /**
   * A first bulk export's way in: into an empty table, orders are appended without the id index,
   * which {@link OrderBulkLoad.finish} then builds once from sorted ids (kept up to date instead,
   * a million random ids rewrote most of its pages at every commit: the pull wrote 20× the
   * table). Null when the table holds orders (upsert them). Until `finish`, write orders
   * through `append` only; an index missing after a crash is built when the store opens.
   */
  startBulkLoad(): OrderBulkLoad | null;
}

export interface OrderBulkLoad {
  /** Appends orders in one transaction, validated as {@link OrderRepository.upsertOrders} does. */
  append(orders: readonly StoredOrder[]): void;
  /** Builds the id index; two copies of an order end up as upsertOrders would have left them. */
  finish(): void;
}

type OrderRow = [number | string, number | string | null, string | null, number, number, number, string | null, number, number, string];

/**
 * Order persistence over an open, migrated database. A row is mostly numbers (about 95 bytes
 * with its index entry, the email a third of them, against 200 as GID text and JSON): ids as in
 * order-keys.ts, line items as in order-lines.ts.
 *
 * @example
 * const orders = createOrderRepository(db);
 * orders.upsertOrders([{ id: 'gid://shopify/Order/1', customerId: '7', email: null, processedAt: 0,
 *   updatedAt: 0, totalCents: 1250, currency: 'USD', cancelled: false, test: false, lines: [] }]);
 */
export function createOrderRepository(db: Database.Database): OrderRepository {
  if (!hasIdIndex(db)) buildIdIndex(db);
  const insertColumns = `
    INSERT INTO orders (id, customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  const append = db.prepare(insertColumns);
  const upsert = db.prepare(`${insertColumns}
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
  const any = db.prepare('SELECT 1 FROM orders LIMIT 1').pluck(true);
  const commonCurrency = db
    .prepare('SELECT currency FROM orders WHERE currency IS NOT NULL GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1')
    .pluck(true);

  const lines = createOrderLineCodec(db);
  const writeAll = (statement: Database.Statement) => db.transaction((orders: readonly StoredOrder[]) => {
    for (const order of orders) {
      statement.run(
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
  const upsertAll = writeAll(upsert);
  const appendAll = writeAll(append);
  const write = (orders: readonly StoredOrder[], writeBatch: (orders: readonly StoredOrder[]) => void) => {
    orders.forEach((order, index) => {
      const result = storedOrderSchema.safeParse(order);
      if (!result.success) {
        throw new InternalError(`order store: order ${index} (${String(order?.id)}) is invalid: ${z.prettifyError(result.error)}`);
      }
    });
    try {
      writeBatch(orders);
    } catch (error) {
      lines.reload();
      throw error;
    }
  };
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
      write(orders, upsertAll);
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
    startBulkLoad() {
      if (any.get() !== undefined) return null;
      db.exec(`DROP INDEX IF EXISTS ${ID_INDEX}`);
      return {
        append: (orders) => write(orders, appendAll),
        finish: () => buildIdIndex(db),
      };
    },
  };
}

const ID_INDEX = 'orders_by_id';

function hasIdIndex(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(ID_INDEX) !== undefined;
}

/** Sorter memory for the index build: 1.5 million ids sort in memory, not through temp files. */
const INDEX_BUILD_CACHE_KIB = 32 * 1024;

/**
 * Builds the unique id index (if another connection has not), first merging copies of an order:
 * the one with the newest `updated_at` (the last of those) at the first copy's place, which is
 * what upserting them in turn leaves.
 */
function buildIdIndex(db: Database.Database): void {
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  try {
    db.transaction(() => {
      try {
        db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS ${ID_INDEX} ON orders (id)`);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        mergeCopies(db);
        db.exec(`CREATE UNIQUE INDEX ${ID_INDEX} ON orders (id)`);
      }
    })();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}

function mergeCopies(db: Database.Database): void {
  db.exec(`
    CREATE TEMP TABLE order_copies AS SELECT copy, place, winner FROM (
      SELECT rowid AS copy, count(*) OVER byId AS copies,
        first_value(rowid) OVER (byId ORDER BY rowid) AS place,
        first_value(rowid) OVER (byId ORDER BY updated_at DESC, rowid DESC) AS winner
      FROM orders WINDOW byId AS (PARTITION BY id)
    ) WHERE copies > 1;
    UPDATE orders SET (customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines) = (
      SELECT w.customer_id, w.email, w.processed_at, w.updated_at, w.total_cents, w.currency, w.cancelled, w.test, w.lines
      FROM orders w WHERE w.rowid = copies.winner)
    FROM (SELECT DISTINCT place, winner FROM temp.order_copies WHERE place != winner) AS copies
    WHERE orders.rowid = copies.place;
    DELETE FROM orders WHERE rowid IN (SELECT copy FROM temp.order_copies WHERE copy != place);
    DROP TABLE temp.order_copies;
  `);
}
