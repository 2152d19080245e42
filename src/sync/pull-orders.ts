import type { Config } from '../config/schema.ts';
import { DAY_MS, type Order } from '../core/order.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { fetchOrdersUpdatedSince } from '../shopify/operations/fetch-orders-updated-since.ts';
import { runOrdersBulkQuery } from '../shopify/operations/run-orders-bulk-query.ts';
import type { StoredOrder } from '../store/orders.ts';
import type { Store } from '../store/open-store.ts';
import type { Progress } from './progress.ts';

/** Cursor keys in the store. */
export const ORDERS_CURSOR = 'orders.updated_at';
export const ORDERS_BULK_OPERATION = 'orders.bulk_operation';

const BATCH = 2000;

export interface PullOrdersResult {
  readonly mode: 'bulk' | 'incremental';
  readonly orders: number;
}

/**
 * Brings the store's orders up to date (DESIGN.md pipeline, "pull"): the first run exports the
 * history window with a bulk query (its id is saved at once, so a crashed run resumes polling
 * the same operation); later runs read orders updated since the stored cursor, with an
 * overlap, so refunds, edits and cancellations of old orders are picked up.
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
  const flush = () => {
    if (batch.length) store.orders.upsertOrders(batch);
    batch = [];
  };
  const onOrder = (order: Order) => {
    batch.push({ ...order, updatedAt: startedAt });
    count++;
    phase.tick();
    if (batch.length >= BATCH) flush();
  };

  const cursor = store.cursors.getCursor(ORDERS_CURSOR);
  if (cursor === null) {
    const resume = store.cursors.getCursor(ORDERS_BULK_OPERATION) || undefined;
    const summary = await runOrdersBulkQuery({ client: shopify })({
      since: new Date(startedAt - config.history_days * DAY_MS),
      resumeOperationId: resume,
      onOperationId: (id) => store.cursors.setCursor(ORDERS_BULK_OPERATION, id),
      onOrder,
    });
    flush();
    // The export started at startedAt; changes after it come with the next incremental pull.
    store.transaction(() => {
      store.cursors.setCursor(ORDERS_CURSOR, new Date(startedAt).toISOString());
      store.cursors.setCursor(ORDERS_BULK_OPERATION, '');
    });
    const late = summary.lateLineItems ? `; ${summary.lateLineItems} line items came too late to join their order (top category only)` : '';
    phase.done(`${resume ? `bulk export resumed (${resume})` : 'bulk export'}${late}`);
    return { mode: 'bulk', orders: count };
  }
  const summary = await fetchOrdersUpdatedSince({ client: shopify })({ since: new Date(cursor), onOrder });
  flush();
  store.cursors.setCursor(ORDERS_CURSOR, summary.cursor.toISOString());
  phase.done(`updated since ${cursor}`);
  return { mode: 'incremental', orders: count };
}
