import { z } from 'zod';
import type { Order } from '../../core/order.ts';
import { completeBulkOperation } from '../bulk/complete-bulk-operation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import { startBulkQuery } from '../bulk/start-bulk-query.ts';
import type { ShopifyClient } from '../client.ts';
import { ordersBulkQuery } from '../documents/orders-bulk-query.ts';
import { lineItemNodeSchema, orderFromNode, parseOrderNode, type LineItemNode, type OrderNode } from '../order-node.ts';
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
}

export interface OrdersBulkQuerySummary {
  readonly operationId: string;
  readonly orders: number;
  readonly lineItems: number;
  /** Line items whose order had already been handed on (only the top category misses them). */
  readonly lateLineItems: number;
}

const lineItemLineSchema = lineItemNodeSchema.extend({ __parentId: z.string() });

/**
 * The first pull: `bulkOperationRunQuery` over every order in the range (with customer
 * and line items), polled until done, then the result JSONL streamed line by line and each
 * order handed to `onOrder` with its line items (linked by `__parentId`).
 *
 * Without grouping, a line item comes after its order but not necessarily right after it
 * (shopify-api-ruby issue 729): orders wait in a bounded window (ParentWindow) for their line
 * items, so memory stays flat however large the shop. A line item arriving after its order
 * left the window only affects the top category; it is counted in `lateLineItems`.
 *
 * @example
 * const pull = runOrdersBulkQuery({ client });
 * await pull({ since, onOperationId: (id) => store.saveBulkId(id), onOrder: (o) => store.upsert(o) });
 */
export function runOrdersBulkQuery(deps: RunOrdersBulkQueryDeps) {
  return async function pullAllOrders(input: RunOrdersBulkQueryInput): Promise<OrdersBulkQuerySummary> {
    const done = await completeBulkOperation(deps.client, {
      operation: OPERATION,
      start: () => startBulkQuery(deps.client, ordersBulkQuery({ ...(input.since ? { since: input.since } : {}), ...(input.before ? { before: input.before } : {}) }), OPERATION),
      ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
      ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      ...(deps.poll ? { poll: deps.poll } : {}),
    });
    const window = new ParentWindow<OrderNode, LineItemNode>(PARENT_WINDOW);
    let orders = 0;
    let lineItems = 0;
    let lateLineItems = 0;
    const emit = async ({ parent, children }: ParentEntry<OrderNode, LineItemNode>) => {
      orders++;
      await input.onOrder(orderFromNode(parent, children, OPERATION));
    };
    if (done.url) {
      let lineNumber = 0;
      for await (const text of deps.client.files.lines(done.url, `${OPERATION} result`)) {
        lineNumber++;
        const where = `line ${lineNumber}`;
        const record = parseJsonLine(text, OPERATION, where);
        if (typeof record === 'object' && record !== null && '__parentId' in record) {
          const line = parseShape(lineItemLineSchema, record, OPERATION, where);
          if (window.attach(line.__parentId, line)) lineItems++;
          else lateLineItems++;
        } else {
          const node = parseOrderNode(record, OPERATION, where);
          const evicted = window.add(node.id, node);
          if (evicted) await emit(evicted);
        }
      }
    }
    for (const entry of window.drain()) await emit(entry);
    return { operationId: done.id, orders, lineItems, lateLineItems };
  };
}
