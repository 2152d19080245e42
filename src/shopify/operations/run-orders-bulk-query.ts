import { z } from 'zod';
import type { Order, OrderLine } from '../../core/order.ts';
import { completeBulkOperation } from '../bulk/complete-bulk-operation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import { startOrAdoptBulkQuery } from '../bulk/start-or-adopt-bulk-query.ts';
import type { ShopifyClient } from '../client.ts';
import { ordersBulkQuery } from '../documents/orders-bulk-query.ts';
import { lineFromNode, lineItemNodeSchema, orderFromNode, parseOrderNode } from '../order-node.ts';
import { parseShape } from '../graphql-envelope.ts';
import { parseJsonLine } from '../bulk/parse-json-line.ts';
import { PARENT_WINDOW, ParentWindow, type ParentEntry } from '../bulk/parent-window.ts';

const OPERATION = 'orders bulk query';

export interface RunOrdersBulkQueryDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
}

export interface RunOrdersBulkQueryInput {
  /** Orders processed at or after this are pulled; none: from the shop's first order. */
  readonly since?: Date;
  /** Orders processed before this are pulled; none: up to now. */
  readonly before?: Date;
  /** A bulk operation started by an earlier, interrupted run: polled instead of starting anew (replaced if it failed or expired). */
  readonly resumeOperationId?: string;
  /** Called with the operation id as soon as it is known, so a crashed run can resume it. */
  readonly onOperationId?: (id: string) => void | Promise<void>;
  readonly onOrder: (order: Order) => void | Promise<void>;
  /** Where line items wait that cannot join their order in memory (the store, so memory stays bounded). */
  readonly spill: LineItemSpill;
  /** Line items that came after their order was handed on: the caller adds them to the stored order. */
  readonly onLateLines: (orderId: string, lines: readonly OrderLine[]) => void | Promise<void>;
}

/** Line items parked on disk by order id (src/store/bulk-line-spill.ts). */
export interface LineItemSpill {
  put(parentId: string, line: OrderLine): void;
  take(parentId: string): OrderLine[];
  drain(): Iterable<{ parentId: string; lines: OrderLine[] }>;
}

export interface OrdersBulkQuerySummary {
  readonly operationId: string;
  readonly orders: number;
  readonly lineItems: number;
  /** Line items that waited on disk: before their order in the file, or after it left the window. */
  readonly spilledLineItems: number;
  /** Of those, line items added to an order already handed on (through `onLateLines`). */
  readonly lateLineItems: number;
}

const lineItemLineSchema = lineItemNodeSchema.extend({ __parentId: z.string() });

/**
 * The first pull: `bulkOperationRunQuery` over every order in the range (with customer
 * and line items), polled until done, then the result JSONL streamed line by line and each
 * order handed to `onOrder` with its line items (linked by `__parentId`).
 *
 * Without grouping (`groupObjects: false`, the default) a line item may be anywhere in the file,
 * before its order too (shopify-api-ruby issue 729). Orders wait in a bounded window
 * (ParentWindow) for their line items, so memory stays flat however large the shop; a line item
 * whose order is not waiting goes to the spill (src/store/bulk-line-spill.ts), joins its order
 * when the order arrives, or, if the order already left, is handed to `onLateLines` once the file
 * has been read.
 * No line item is lost.
 *
 * @example
 * const pull = runOrdersBulkQuery({ client });
 * await pull({ since, onOperationId: (id) => store.saveBulkId(id), onOrder: (o) => store.upsert(o) });
 */
export function runOrdersBulkQuery(deps: RunOrdersBulkQueryDeps) {
  return async function pullAllOrders(input: RunOrdersBulkQueryInput): Promise<OrdersBulkQuerySummary> {
    const done = await completeBulkOperation(deps.client, {
      operation: OPERATION,
      start: () => startOrAdoptBulkQuery(deps.client, ordersBulkQuery({ ...(input.since ? { since: input.since } : {}), ...(input.before ? { before: input.before } : {}) }), OPERATION),
      ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
      ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      ...(deps.poll ? { poll: deps.poll } : {}),
    });
    // Orders wait already normalised (a third of the memory of the parsed nodes), lines as they
    // attach; an order's `lines` hold those that came before it (taken from the spill as it
    // arrives, so they wait there no longer than that).
    const window = new ParentWindow<Order, OrderLine>(PARENT_WINDOW);
    let orders = 0;
    let lineItems = 0;
    let spilledLineItems = 0;
    let lateLineItems = 0;
    const emit = async ({ parent, children }: ParentEntry<Order, OrderLine>) => {
      orders++;
      await input.onOrder({ ...parent, lines: parent.lines.length > 0 ? [...children, ...parent.lines] : children });
    };
    if (done.url) {
      let lineNumber = 0;
      for await (const text of deps.client.files.lines(done.url, `${OPERATION} result`)) {
        lineNumber++;
        const where = `line ${lineNumber}`;
        const record = parseJsonLine(text, OPERATION, where);
        if (typeof record === 'object' && record !== null && '__parentId' in record) {
          const line = parseShape(lineItemLineSchema, record, OPERATION, where);
          lineItems++;
          const orderLine = lineFromNode(line);
          if (!window.attach(line.__parentId, orderLine)) {
            input.spill.put(line.__parentId, orderLine);
            spilledLineItems++;
          }
        } else {
          const node = parseOrderNode(record, OPERATION, where);
          const evicted = window.add(node.id, { ...orderFromNode(node, [], OPERATION), lines: input.spill.take(node.id) });
          if (evicted) await emit(evicted);
        }
      }
    }
    for (const entry of window.drain()) await emit(entry);
    for (const { parentId, lines } of input.spill.drain()) {
      lateLineItems += lines.length;
      await input.onLateLines(parentId, lines);
    }
    return { operationId: done.id, orders, lineItems, spilledLineItems, lateLineItems };
  };
}
