/**
 * Read resolvers by resource: `shop`, `orders`/`order`, `customers`/`customer`, `node`/`nodes`
 * and the bulk operation reads. https://shopify.dev/docs/api/admin-graphql/2026-07/queries
 */
import type { GraphQLResolveInfo } from 'graphql';
import type { BulkOperationType } from '../bulk/types.ts';
import { CUSTOMER_SEARCH_FIELDS, ORDER_SEARCH_FIELDS } from '../connections.ts';
import type { Connections } from '../connections.ts';
import type { Args, ExecutionState } from '../graphql/execution-state.ts';
import { presentBulkOperation } from '../presenters/bulk-operation.ts';
import type { ShopObjects } from '../presenters/shop-objects.ts';
import type { CustomerRow, OrderRow } from '../shop-store.ts';
import type { ResolverDeps } from './context.ts';
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
      id: 'gid://shopify/Shop/1',
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
    orders: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) =>
      deps.connections.searchConnection(deps.connections.sortedView('orders', String(args.sortKey ?? 'ID')), ORDER_SEARCH_FIELDS, load, deps.objects.order, args, state, info),
    order: ({ id }: Args) => nodeById(deps, String(id), 'Order'),
  };
}

/** `customers` and `customer`. */
export function customerResolvers(deps: ReadResolverDeps): Record<string, unknown> {
  const load = (id: string) => deps.store.customer(id) as CustomerRow;
  return {
    customers: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) =>
      deps.connections.searchConnection(deps.connections.sortedView('customers', String(args.sortKey ?? 'ID')), CUSTOMER_SEARCH_FIELDS, load, deps.objects.customer, args, state, info),
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

/** `bulkOperation(id:)` and `currentBulkOperation(type:)`. */
export function bulkReadResolvers(deps: ResolverDeps): Record<string, unknown> {
  return {
    currentBulkOperation: ({ type }: Args) => presentBulkOperation(deps.bulk().current((type as BulkOperationType | undefined) ?? 'QUERY')),
    bulkOperation: ({ id }: Args) => presentBulkOperation(deps.bulk().byId(String(id))),
  };
}

function nodeById(deps: ReadResolverDeps, id: string, typename?: string): Record<string, unknown> | null {
  const parsed = parseGid(id);
  if (!parsed || (typename && parsed.type !== typename)) return null;
  if (parsed.type === 'Order') {
    const row = deps.store.order(parsed.id);
    return row ? deps.objects.order(row) : null;
  }
  if (parsed.type === 'Customer') {
    const row = deps.store.customer(parsed.id);
    return row ? deps.objects.customer(row) : null;
  }
  if (parsed.type === 'BulkOperation') return presentBulkOperation(deps.bulk().byId(id));
  return null;
}
