import { z } from 'zod';
import type { Order } from '../../core/order.ts';
import { ResponseShapeError } from '../../http/errors.ts';
import { completeBulkOperation } from '../bulk/complete-bulk-operation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import { startBulkQuery } from '../bulk/start-bulk-query.ts';
import type { ShopifyClient } from '../client.ts';
import { ordersBulkQuery } from '../documents/orders-bulk-query.ts';
import { lineItemNodeSchema, orderFromNode, parseOrderNode, type LineItemNode, type OrderNode } from '../order-node.ts';
import { parseShape } from '../graphql-envelope.ts';
import { parseJsonLine } from '../bulk/parse-json-line.ts';

const OPERATION = 'orders bulk query';

export interface RunOrdersBulkQueryDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
}

export interface RunOrdersBulkQueryInput {
  /** First day of the history window: orders processed at or after it are pulled. */
  readonly since: Date;
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
}

const lineItemLineSchema = lineItemNodeSchema.extend({ __parentId: z.string() });

/**
 * The first pull: `bulkOperationRunQuery` over every order in the history window (with customer
 * and line items), polled until done, then the result JSONL streamed line by line and each
 * order handed to `onOrder` with its line items (linked by `__parentId`).
 *
 * Without grouping, a line item comes after its order but not necessarily right after it
 * (shopify-api-ruby issue 729), so orders are held until the file ends, then handed over in
 * file order.
 *
 * @example
 * const pull = runOrdersBulkQuery({ client });
 * await pull({ since, onOperationId: (id) => store.saveBulkId(id), onOrder: (o) => store.upsert(o) });
 */
export function runOrdersBulkQuery(deps: RunOrdersBulkQueryDeps) {
  return async function pullAllOrders(input: RunOrdersBulkQueryInput): Promise<OrdersBulkQuerySummary> {
    const done = await completeBulkOperation(deps.client, {
      operation: OPERATION,
      start: () => startBulkQuery(deps.client, ordersBulkQuery(input.since), OPERATION),
      ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
      ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      ...(deps.poll ? { poll: deps.poll } : {}),
    });
    const pending = new Map<string, { node: OrderNode; lines: LineItemNode[] }>();
    let lineItems = 0;
    if (done.url) {
      let lineNumber = 0;
      for await (const text of deps.client.files.lines(done.url, `${OPERATION} result`)) {
        lineNumber++;
        const where = `line ${lineNumber}`;
        const record = parseJsonLine(text, OPERATION, where);
        if (typeof record === 'object' && record !== null && '__parentId' in record) {
          const line = parseShape(lineItemLineSchema, record, OPERATION, where);
          const parent = pending.get(line.__parentId);
          if (!parent) {
            throw new ResponseShapeError(`${where}: line item of unknown order ${line.__parentId}`, { service: 'shopify', operation: OPERATION });
          }
          parent.lines.push(line);
          lineItems++;
        } else {
          const node = parseOrderNode(record, OPERATION, where);
          pending.set(node.id, { node, lines: [] });
        }
      }
    }
    for (const { node, lines } of pending.values()) await input.onOrder(orderFromNode(node, lines, OPERATION));
    return { operationId: done.id, orders: pending.size, lineItems };
  };
}
