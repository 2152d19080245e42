import type { Config } from '../config/schema.ts';
import { DAY_MS, type Order, type OrderLine } from '../core/order.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { fetchOrdersUpdatedSince } from '../shopify/operations/fetch-orders-updated-since.ts';
import { runOrdersBulkQuery } from '../shopify/operations/run-orders-bulk-query.ts';
import type { OrderBulkLoad, StoredOrder } from '../store/orders.ts';
import type { Store } from '../store/open-store.ts';
import { bulkExportProgress } from './bulk-export-progress.ts';
import type { Progress } from './progress.ts';

/** Cursor keys in the store. */
export const ORDERS_CURSOR = 'orders.updated_at';
export const ORDERS_BULK_OPERATION = 'orders.bulk_operation';
/**
 * `whole` once the store holds the shop's whole order history. Stores filled before this key
 * existed hold only the 730-day window of their first pull: the next pull completes them once.
 */
export const ORDERS_HISTORY = 'orders.history';
export const ORDERS_HISTORY_BULK_OPERATION = 'orders.history_bulk_operation';
const WHOLE_HISTORY = 'whole';

/**
 * Orders written per transaction. Upserting (the id index kept up to date) under random ids, a
 * commit rewrites most index pages whatever its size: 308,000 orders wrote 626 MB in batches of
 * 2,000, 138 MB in batches of 20,000 (about 7 MB of orders in memory).
 */
const BATCH = 20_000;

export interface PullOrdersResult {
  readonly mode: 'bulk' | 'incremental';
  readonly orders: number;
  /** Orders a one-time export added to a store filled by the old window-only first pull. */
  readonly historyCompleted: number | null;
}

/**
 * Brings the store's orders up to date (docs/DESIGN.md pipeline, "pull"): the first run exports the
 * shop's whole order history with a bulk query (its id is saved at once, so a crashed run
 * resumes polling the same operation); later runs read orders updated since the stored cursor,
 * with an overlap, so refunds, edits and cancellations of old orders are picked up. A store
 * whose first pull read only the LTV window gets the older orders once, by a bulk export of
 * what that pull left out (not the whole shop again).
 *
 * Orders are stored with `updatedAt` = when this pull saw them: each pull reads the current
 * state, so a later pull always replaces an earlier one.
 *
 * @example
 * await pullOrders({ store, shopify, config, now: Date.now, progress });
 */
export async function pullOrders(deps: { store: Store; shopify: ShopifyClient; config: Config; now: () => number; progress: Progress }): Promise<PullOrdersResult> {
  const { store, shopify, config, now, progress } = deps;
  const startedAt = now();
  const phase = progress.phase('pull orders');
  let batch: StoredOrder[] = [];
  let count = 0;
  // A first export appends to the empty table and indexes it once at the end (store/orders.ts).
  let load: OrderBulkLoad | null = null;
  const flush = () => {
    if (batch.length) (load ? load.append(batch) : store.orders.upsertOrders(batch));
    batch = [];
  };
  const finishLoad = () => {
    flush();
    load?.finish();
    load = null;
  };
  const onOrder = (order: Order) => {
    batch.push({ ...order, updatedAt: startedAt });
    count++;
    phase.tick();
    if (batch.length >= BATCH) flush();
  };
  // A bulk export's line items that came after their order: added to the stored order. A
  // crashed export's spill is stale (the file is read again from its start), hence the clear.
  const bulkJoin = () => {
    store.bulkLineSpill.clear();
    return {
      spill: store.bulkLineSpill,
      onLateLines: (orderId: string, lines: readonly OrderLine[]) => {
        finishLoad();
        const stored = store.orders.getOrder(orderId);
        if (stored) store.orders.upsertOrders([{ ...stored, lines: [...stored.lines, ...lines] }]);
      },
    };
  };

  // One bulk export (of the orders processed before `before`, if given), its operation id kept
  // under `operationCursor` at once: a crashed run resumes polling the same operation.
  const bulkExport = async (label: string, operationCursor: string, before?: Date) => {
    const resumed = store.cursors.getCursor(operationCursor) || undefined;
    const exporting = bulkExportProgress(progress, label);
    load = store.orders.startBulkLoad();
    try {
      const summary = await runOrdersBulkQuery({ client: shopify, poll: exporting.poll })({
        before,
        resumeOperationId: resumed,
        onOperationId: (id) => store.cursors.setCursor(operationCursor, id),
        onOrder: (order) => {
          exporting.finish();
          onOrder(order);
        },
        ...bulkJoin(),
      });
      exporting.finish();
      finishLoad();
      return { summary, resumed };
    } finally {
      // A failed export too leaves the table indexed (a daemon's next run upserts into it).
      load?.finish();
      load = null;
    }
  };

  const cursor = store.cursors.getCursor(ORDERS_CURSOR);
  if (cursor === null) {
    const { summary, resumed } = await bulkExport('export orders (Shopify bulk)', ORDERS_BULK_OPERATION);
    // The export started at startedAt; changes after it come with the next incremental pull.
    store.transaction(() => {
      store.cursors.setCursor(ORDERS_CURSOR, new Date(startedAt).toISOString());
      store.cursors.setCursor(ORDERS_BULK_OPERATION, '');
      store.cursors.setCursor(ORDERS_HISTORY, WHOLE_HISTORY);
    });
    const late = summary.spilledLineItems ? `; ${summary.spilledLineItems} line items waited apart from their order and joined it (${summary.lateLineItems} after it)` : '';
    phase.done(`${resumed ? `bulk export resumed (${resumed})` : 'bulk export'} of the whole history${late}`);
    return { mode: 'bulk', orders: count, historyCompleted: null };
  }
  let historyCompleted: number | null = null;
  if (store.cursors.getCursor(ORDERS_HISTORY) !== WHOLE_HISTORY) {
    // The old first pull read processed_at ≥ (its start − history_days), and the cursor never
    // moves back from that start: exporting what is older than (cursor − history_days)
    // overlaps what is held by the time elapsed since, and misses nothing.
    const before = new Date(Date.parse(cursor) - config.history_days * DAY_MS);
    await bulkExport('export older orders (Shopify bulk)', ORDERS_HISTORY_BULK_OPERATION, before);
    historyCompleted = count;
    store.transaction(() => {
      store.cursors.setCursor(ORDERS_HISTORY, WHOLE_HISTORY);
      store.cursors.setCursor(ORDERS_HISTORY_BULK_OPERATION, '');
    });
  }
  const summary = await fetchOrdersUpdatedSince({ client: shopify })({ since: new Date(cursor), onOrder });
  flush();
  store.cursors.setCursor(ORDERS_CURSOR, summary.cursor.toISOString());
  const completed = historyCompleted === null ? '' : `; history before the first pull's window completed (${historyCompleted} orders)`;
  phase.done(`updated since ${cursor}${completed}`);
  return { mode: 'incremental', orders: count, historyCompleted };
}
