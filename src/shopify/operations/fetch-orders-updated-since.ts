import { z } from 'zod';
import type { Order } from '../../core/order.ts';
import { MaxCostExceededError, type ShopifyClient } from '../client.ts';
import { ORDER_FIELDS } from '../documents/orders-bulk-query.ts';
import { lineItemNodeSchema, orderFromNode, orderNodeSchema, updatedAtMs, type LineItemNode } from '../order-node.ts';

const OPERATION = 'orders updated since';

/*
 * Page sizes from Shopify's cost rules (object 1, connection 2 + first × node cost, connection-
 * level objects such as pageInfo 1; scalars 0): an order node costs 1 + customer 1 +
 * defaultEmailAddress 1 + currentTotalPriceSet 1 + shopMoney 1 + lineItems (2 + 10 × (node 1 +
 * product 1)) + its pageInfo 1 = 28. The page is sized for 800 points, well under the 1,000-point
 * single-query maximum, since Shopify may charge a field more than the published defaults: 28
 * orders cost 2 + 28 × 28 + pageInfo 1 = 787. Should Shopify still answer MAX_COST_EXCEEDED, the
 * page is halved and the pull goes on.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits#cost-calculation
 */
export const LINE_ITEMS_PER_ORDER_PAGE = 10;
const ORDER_NODE_COST = 5 + (2 + LINE_ITEMS_PER_ORDER_PAGE * 2) + 1;
const PAGE_BUDGET = 800;
export const ORDERS_PAGE_SIZE = Math.floor((PAGE_BUDGET - 3) / ORDER_NODE_COST);
const ordersPageCost = (size: number) => 2 + size * ORDER_NODE_COST + 1;

const LINE_ITEM_FIELDS = 'quantity product { productType }';

export const ORDERS_UPDATED_SINCE_QUERY = `query OrdersUpdatedSince($query: String!, $after: String, $first: Int!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${ORDER_FIELDS}
      lineItems(first: ${LINE_ITEMS_PER_ORDER_PAGE}) {
        pageInfo { hasNextPage endCursor }
        nodes { ${LINE_ITEM_FIELDS} }
      }
    }
  }
}`;

/** The rest of the line items of an order with more than fit on its page (cost 1 + 2 + 250 × 2 + 1). */
export const ORDER_LINE_ITEMS_QUERY = `query OrderLineItems($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 250, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ${LINE_ITEM_FIELDS} }
    }
  }
}`;

const pageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const lineItemsSchema = z.object({ pageInfo: pageInfoSchema, nodes: z.array(lineItemNodeSchema) });

const ordersPageSchema = z.object({
  orders: z.object({
    pageInfo: pageInfoSchema,
    nodes: z.array(orderNodeSchema.extend({ lineItems: lineItemsSchema })),
  }),
});

const orderLineItemsSchema = z.object({ order: z.object({ lineItems: lineItemsSchema }).nullable() });

export interface FetchOrdersUpdatedSinceDeps {
  readonly client: ShopifyClient;
}

export interface FetchOrdersUpdatedSinceInput {
  /** The stored cursor: the latest `updatedAt` seen by the previous pull. */
  readonly since: Date;
  /** How far before `since` to look again, for writes that landed late (default 15 minutes). */
  readonly overlapMs?: number;
  readonly onOrder: (order: Order) => void | Promise<void>;
}

export interface OrdersUpdatedSinceSummary {
  /** The new cursor: the latest `updatedAt` seen, or `since` when nothing changed. */
  readonly cursor: Date;
  readonly orders: number;
  readonly pages: number;
  /** The page size the pull ended with (smaller than ORDERS_PAGE_SIZE after a MAX_COST_EXCEEDED). */
  readonly pageSize: number;
}

/**
 * Later pulls: every order updated after the cursor (minus an overlap), paginated, so refunds,
 * edits and cancellations of old orders reach the store. An order seen twice (updated again
 * while the pull runs) is handed over again only if its `updatedAt` moved on.
 *
 * @example
 * const pull = fetchOrdersUpdatedSince({ client });
 * const { cursor } = await pull({ since: storedCursor, onOrder: (o) => store.upsert(o) });
 */
export function fetchOrdersUpdatedSince(deps: FetchOrdersUpdatedSinceDeps) {
  return async function pullChangedOrders(input: FetchOrdersUpdatedSinceInput): Promise<OrdersUpdatedSinceSummary> {
    const from = new Date(input.since.getTime() - (input.overlapMs ?? 15 * 60_000));
    const query = `updated_at:>'${from.toISOString()}'`;
    const seen = new Map<string, number>();
    let cursor = input.since.getTime();
    let after: string | null = null;
    let pages = 0;
    let orders = 0;
    let pageSize = ORDERS_PAGE_SIZE;
    for (;;) {
      let page: z.infer<typeof ordersPageSchema>['orders'];
      try {
        ({ orders: page } = await deps.client.request({
          operation: OPERATION,
          document: ORDERS_UPDATED_SINCE_QUERY,
          variables: { query, after, first: pageSize },
          estimatedCost: ordersPageCost(pageSize),
          data: ordersPageSchema,
        }));
      } catch (error) {
        if (!(error instanceof MaxCostExceededError) || pageSize === 1) throw error;
        pageSize = Math.max(1, Math.floor(pageSize / 2));
        continue;
      }
      pages++;
      for (const node of page.nodes) {
        const updated = updatedAtMs(node, OPERATION);
        const previous = seen.get(node.id);
        if (previous !== undefined && previous >= updated) continue;
        seen.set(node.id, updated);
        const lines = node.lineItems.pageInfo.hasNextPage
          ? [...node.lineItems.nodes, ...(await remainingLineItems(deps.client, node.id, node.lineItems.pageInfo.endCursor))]
          : node.lineItems.nodes;
        await input.onOrder(orderFromNode(node, lines, OPERATION));
        orders++;
        cursor = Math.max(cursor, updated);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      if (after === null) break;
    }
    return { cursor: new Date(cursor), orders, pages, pageSize };
  };
}

async function remainingLineItems(client: ShopifyClient, orderId: string, start: string | null): Promise<LineItemNode[]> {
  const lines: LineItemNode[] = [];
  let after = start;
  while (after !== null) {
    const { order }: z.infer<typeof orderLineItemsSchema> = await client.request({
      operation: `${OPERATION} line items of ${orderId}`,
      document: ORDER_LINE_ITEMS_QUERY,
      variables: { id: orderId, after },
      estimatedCost: 504,
      data: orderLineItemsSchema,
    });
    if (!order) break;
    lines.push(...order.lineItems.nodes);
    after = order.lineItems.pageInfo.hasNextPage ? order.lineItems.pageInfo.endCursor : null;
  }
  return lines;
}
