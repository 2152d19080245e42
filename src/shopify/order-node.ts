import { z } from 'zod';
import { parseMoneyToMinorUnits } from '../core/money.ts';
import type { Order, OrderLine } from '../core/order.ts';
import { ResponseShapeError } from '../errors.ts';
import { parseShape } from './graphql-envelope.ts';

/** The fields of `ORDER_FIELDS` (src/shopify/documents/orders-bulk-query.ts) as the API returns them. */
export const orderNodeSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullable(),
  processedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  test: z.boolean(),
  currentTotalPriceSet: z.object({
    shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }),
  }),
  customer: z
    .object({
      id: z.string().min(1),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
    })
    .nullable(),
});

export type OrderNode = z.infer<typeof orderNodeSchema>;

export const lineItemNodeSchema = z.object({
  quantity: z.number().int(),
  product: z.object({ productType: z.string().nullable() }).nullable(),
});

export type LineItemNode = z.infer<typeof lineItemNodeSchema>;

/**
 * Normalises an order node and its line items into the core `Order`: value = current total
 * (after refunds and edits) in minor units parsed from the decimal string; time = processedAt,
 * else createdAt; email = the order's, else the customer's default email.
 *
 * @example
 * orderFromNode(node, [{ quantity: 2, product: { productType: 'Shoes' } }], 'orders page')
 */
export function orderFromNode(node: OrderNode, lineItems: readonly LineItemNode[], operation: string): Order {
  const money = node.currentTotalPriceSet.shopMoney;
  const totalCents = parseMoneyToMinorUnits(money.amount, money.currencyCode);
  if (totalCents === null) {
    throw new ResponseShapeError(`order ${node.id} has an unreadable currentTotalPriceSet amount "${money.amount}"`, {
      service: 'shopify',
      operation,
    });
  }
  return {
    id: node.id,
    customerId: node.customer?.id ?? null,
    email: node.email ?? node.customer?.defaultEmailAddress?.emailAddress ?? null,
    processedAt: parseTime(node.processedAt ?? node.createdAt, node.id, operation),
    totalCents,
    currency: money.currencyCode,
    cancelled: node.cancelledAt !== null,
    test: node.test,
    lines: lineItems.map(lineFromNode),
  };
}

/**
 * Epoch ms of an order's `updatedAt`, for incremental cursors.
 *
 * @example
 * updatedAtMs(node, 'orders page') // 1748772000000 for '2025-06-01T10:00:00Z'
 */
export function updatedAtMs(node: OrderNode, operation: string): number {
  return parseTime(node.updatedAt, node.id, operation);
}

/** @example lineFromNode({ quantity: 2, product: { productType: 'Shoes' } }); // { productType: 'Shoes', quantity: 2 } */
export function lineFromNode(line: LineItemNode): OrderLine {
  return { productType: line.product?.productType ?? '', quantity: line.quantity };
}

function parseTime(text: string, orderId: string, operation: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new ResponseShapeError(`order ${orderId} has an unreadable time "${text}"`, { service: 'shopify', operation });
  }
  return ms;
}

/**
 * Validates one order node (a bulk JSONL line or a page node).
 *
 * @example
 * parseOrderNode(JSON.parse(line), 'orders bulk query', 'line 12')
 */
export function parseOrderNode(value: unknown, operation: string, where: string): OrderNode {
  return parseShape(orderNodeSchema, value, operation, where);
}
