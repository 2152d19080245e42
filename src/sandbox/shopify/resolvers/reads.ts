/**
 * Read resolvers by resource: `shop`, `orders`/`order`, `customers`/`customer`, `node`/`nodes`
 * and the bulk operation reads. https://shopify.dev/docs/api/admin-graphql/2026-07/queries
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { BulkOperationRecord, BulkOperationType } from '../bulk/types.ts';
import { CUSTOMER_SEARCH_FIELDS, ORDER_SEARCH_FIELDS } from '../connections.ts';
import type { Connections } from '../connections.ts';
import type { Args, ExecutionState } from '../graphql/execution-state.ts';
import { presentBulkOperation } from '../presenters/bulk-operation.ts';
import type { ShopObjects } from '../presenters/shop-objects.ts';
import { buildSortedView } from '../pagination.ts';
import type { FieldReader } from '../search-query.ts';
import type { CustomerRow, OrderRow } from '../shop-store.ts';
import type { ResolverDeps } from './context.ts';
import { orderVisible, requireScope } from './access-scopes.ts';
import { parseGid } from './gid.ts';

export interface ReadResolverDeps extends ResolverDeps {
  connections: Connections;
  objects: ShopObjects;
}

/** `shop`. https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Shop */
export function shopResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  return {
    shop: () => ({
      __typename: 'Shop',
      id: deps.shopId,
      name: deps.shopDomain.replace(/\.myshopify\.com$/, ''),
      myshopifyDomain: deps.shopDomain,
      currencyCode: deps.store.currencyCode,
      ianaTimezone: 'Etc/UTC',
      timezoneOffsetMinutes: 0,
    }),
  };
}

/** `orders` and `order`. */
export function orderResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  const load = (id: string) => deps.store.order(id) as OrderRow;
  return {
    orders: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      requireScope(deps.scopes, 'read_orders', 'orders');
      const view = deps.connections.sortedView('orders', String(args.sortKey ?? 'ID'));
      return deps.connections.searchConnection(view, ORDER_SEARCH_FIELDS, load, deps.objects.order, args, state, info, orderVisible(deps.scopes, deps.now()));
    },
    order: ({ id }: Args) => nodeById(deps, String(id), 'Order'),
  };
}

/** `customers` and `customer`. */
export function customerResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  const load = (id: string) => deps.store.customer(id) as CustomerRow;
  return {
    customers: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      requireScope(deps.scopes, 'read_customers', 'customers');
      const view = deps.connections.sortedView('customers', String(args.sortKey ?? 'ID'));
      return deps.connections.searchConnection(view, CUSTOMER_SEARCH_FIELDS, load, deps.objects.customer, args, state, info);
    },
    customer: ({ id }: Args) => nodeById(deps, String(id), 'Customer'),
  };
}

/** `node` and `nodes`: an unknown or malformed id is null in its place. */
export function nodeResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  return {
    node: ({ id }: Args) => nodeById(deps, String(id)),
    nodes: ({ ids }: Args) => (ids as string[]).map((id) => nodeById(deps, id)),
  };
}

/**
 * The bulk operation reads: `bulkOperation(id:)`, the deprecated `currentBulkOperation(type:)` and
 * `bulkOperations`, which replaces it: the app's operations, newest first by default ("Defaults
 * to sorting by created_at, with newest operations first"), filtered by `status:`,
 * `operation_type:`, `created_at:` and `id:`. https://shopify.dev/docs/api/admin-graphql/2026-07/queries/bulkOperations
 */
export function bulkReadResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  return {
    currentBulkOperation: ({ type }: Args) => presentBulkOperation(deps.bulk().current((type as BulkOperationType | undefined) ?? 'QUERY')),
    bulkOperation: ({ id }: Args) => presentBulkOperation(deps.bulk().byId(String(id))),
    bulkOperations: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      const rows = deps.bulk().all().map((record) => ({ id: (parseGid(record.id) as { id: string }).id, record }));
      const byId = new Map(rows.map((row) => [row.id, row]));
      const sortValue = args.sortKey === 'COMPLETED_AT' ? (row: BulkRow) => (row.record.completedAt ? Date.parse(row.record.completedAt) : 0) : (row: BulkRow) => Number(row.id);
      const view = buildSortedView(rows, sortValue);
      const newestFirst = { ...args, reverse: args.reverse !== true };
      const load = (id: string) => byId.get(id) as BulkRow;
      return deps.connections.searchConnection(view, BULK_OPERATION_SEARCH_FIELDS, load, (row) => presentBulkOperation(row.record) as Record<string, unknown>, newestFirst, state, info);
    },
  };
}

interface BulkRow {
  id: string;
  record: BulkOperationRecord;
}

const BULK_OPERATION_SEARCH_FIELDS: Record<string, FieldReader<BulkRow>> = {
  id: { kind: 'id', read: (row) => row.id },
  status: { kind: 'text', read: (row) => row.record.status },
  operation_type: { kind: 'text', read: (row) => row.record.type },
  created_at: { kind: 'time', read: (row) => row.record.createdAt },
};

function nodeById(deps: ReadResolverDeps, id: string, typename?: string): Record<string, unknown> | null {
  const parsed = parseGid(id);
  if (!parsed || (typename && parsed.type !== typename)) return null;
  if (parsed.type === 'Order') {
    requireScope(deps.scopes, 'read_orders', typename ? 'order' : 'node');
    const row = deps.store.order(parsed.id);
    return row && orderVisible(deps.scopes, deps.now())(row) ? deps.objects.order(row) : null;
  }
  if (parsed.type === 'Customer') {
    requireScope(deps.scopes, 'read_customers', typename ? 'customer' : 'node');
    const row = deps.store.customer(parsed.id);
    return row ? deps.objects.customer(row) : null;
  }
  if (parsed.type === 'BulkOperation') return presentBulkOperation(deps.bulk().byId(id));
  return null;
}
