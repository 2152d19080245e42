/**
 * Connections as the Admin API pages them: `first`/`after`, `last`/`before`, `reverse`, `sortKey`
 * and the `query:` search syntax over sorted views of the shop's rows (views kept until the rows
 * change). In a bulk query the root connection takes the bulk runner's page and nested ones are whole.
 * https://shopify.dev/docs/api/usage/pagination-graphql
 */
import { GraphQLError } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Args, ExecutionState } from './graphql/execution-state.ts';
import { encodeCursor, InvalidCursorError, paginate, sortColumns } from './pagination.ts';
import type { PageArgs, SortedView, SortKey } from './pagination.ts';
import { compileSearch, parseSearchQuery } from './search-query.ts';
import type { FieldReader } from './search-query.ts';
import { epochOf } from './order-columns.ts';
import type { CustomerKeyField, CustomerRow, OrderKeyField, OrderRow, ShopStore } from './shop-store.ts';

export const ORDER_SEARCH_FIELDS: Record<string, FieldReader<OrderRow>> = {
  id: { kind: 'id', read: (row) => row.id },
  customer_id: { kind: 'id', read: (row) => row.customerId },
  created_at: { kind: 'time', read: (row) => row.createdAt },
  updated_at: { kind: 'time', read: (row) => row.updatedAt },
  processed_at: { kind: 'time', read: (row) => row.processedAt },
  email: { kind: 'text', read: (row) => row.email },
  name: { kind: 'text', read: (row) => row.name },
  test: { kind: 'boolean', read: (row) => row.test },
};

export const CUSTOMER_SEARCH_FIELDS: Record<string, FieldReader<CustomerRow>> = {
  id: { kind: 'id', read: (row) => row.id },
  created_at: { kind: 'time', read: (row) => row.createdAt },
  updated_at: { kind: 'time', read: (row) => row.updatedAt },
  email: { kind: 'text', read: (row) => row.email },
  tag: { kind: 'text', read: (row) => row.tags },
};

/** The order field a `sortKey` sorts on (`ID`, and any key the sandbox does not sort by, sort by id). */
function orderKeyField(sortKey: string): OrderKeyField {
  switch (sortKey) {
    case 'CREATED_AT':
      return 'createdAt';
    case 'UPDATED_AT':
      return 'updatedAt';
    case 'PROCESSED_AT':
      return 'processedAt';
    default:
      return 'id';
  }
}

function customerKeyField(sortKey: string): CustomerKeyField {
  switch (sortKey) {
    case 'CREATED_AT':
      return 'createdAt';
    case 'UPDATED_AT':
      return 'updatedAt';
    default:
      return 'id';
  }
}

/** A row's sort value for `sortKey`, for the small views built from rows (a customer's orders). */
export function orderSortValue(sortKey: string): (row: OrderRow) => number {
  const field = orderKeyField(sortKey);
  return field === 'id' ? (row) => Number(row.id) : (row) => epochOf(row[field]);
}

export interface Connections {
  /** The shop's orders or customers sorted by `sortKey`, rebuilt only when they changed. */
  sortedView(resource: 'orders' | 'customers', sortKey: string): SortedView;
  /** One page of `view` (rows for which `matches` holds) as `{ edges, nodes, pageInfo }`. */
  connection<Row>(
    view: SortedView,
    args: Args,
    matches: (id: string) => boolean,
    load: (id: string) => Row,
    toNode: (row: Row) => Record<string, unknown>,
    state: ExecutionState,
    info: GraphQLResolveInfo,
  ): Record<string, unknown>;
  /** A connection filtered by the `query:` argument (Shopify's search syntax) over `fields`. */
  searchConnection<Row>(
    view: SortedView,
    fields: Record<string, FieldReader<Row>>,
    load: (id: string) => Row,
    toNode: (row: Row) => Record<string, unknown>,
    args: Args,
    state: ExecutionState,
    info: GraphQLResolveInfo,
    visible?: (row: Row) => boolean,
  ): Record<string, unknown>;
}

/**
 * @example
 * const connections = createConnections(store);
 * connections.searchConnection(connections.sortedView('orders', 'ID'), ORDER_SEARCH_FIELDS, load, present, args, state, info);
 */
export function createConnections(store: ShopStore): Connections {
  const cache = new Map<string, { version: number; view: SortedView }>();

  const pageArgs = (args: Args, state: ExecutionState, info: GraphQLResolveInfo): PageArgs => {
    if (state.bulk) return info.path.prev === undefined ? state.bulk.rootPage : { first: null, reverse: args.reverse as boolean | undefined };
    return {
      first: args.first as number | undefined,
      last: args.last as number | undefined,
      after: args.after as string | undefined,
      before: args.before as string | undefined,
      reverse: args.reverse as boolean | undefined,
    };
  };

  const connections: Connections = {
    sortedView(resource, sortKey) {
      const key = `${resource}:${sortKey}`;
      // Ids never change, so an id-sorted view only goes stale when rows are added.
      const version = sortKey === 'ID' ? store.membershipVersion() : store.version(resource);
      const hit = cache.get(key);
      if (hit && hit.version === version) return hit.view;
      const keys = resource === 'orders' ? store.orderKeys(orderKeyField(sortKey)) : store.customerKeys(customerKeyField(sortKey));
      // The stale view goes first, so the old and the new arrays are never both alive.
      cache.delete(key);
      const view = sortColumns(keys.ids, keys.values);
      cache.set(key, { version, view });
      return view;
    },
    connection(view, args, matches, load, toNode, state, info) {
      let result;
      try {
        result = paginate(view, pageArgs(args, state, info), matches);
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_REQUEST' } });
        throw error;
      }
      const lastKey = result.keys[result.keys.length - 1];
      if (state.bulk && info.path.prev === undefined) {
        state.bulk.endCursor = lastKey ? encodeCursor(lastKey) : state.bulk.endCursor;
        state.bulk.hasNextPage = result.hasNextPage;
        state.bulk.rootCount += result.ids.length;
      }
      const nodes = result.ids.map((id) => toNode(load(id)));
      // Cursors are functions (graphql-js calls them), so only those a document selects are encoded.
      const cursor = (key: SortKey | undefined) => () => (key ? encodeCursor(key) : null);
      return {
        edges: nodes.map((node, index) => ({ cursor: cursor(result.keys[index]), node })),
        nodes,
        pageInfo: {
          hasNextPage: result.hasNextPage,
          hasPreviousPage: result.hasPreviousPage,
          startCursor: cursor(result.keys[0]),
          endCursor: cursor(lastKey),
        },
      };
    },
    searchConnection<Row>(
      view: SortedView,
      fields: Record<string, FieldReader<Row>>,
      load: (id: string) => Row,
      toNode: (row: Row) => Record<string, unknown>,
      args: Args,
      state: ExecutionState,
      info: GraphQLResolveInfo,
      visible: (row: Row) => boolean = () => true,
    ) {
      const matchesSearch = compileSearch(parseSearchQuery(args.query as string | undefined), fields);
      // The rows that matched (at most a page and two), so a page's rows are made once, not twice.
      const matched = new Map<string, Row>();
      const matches = (id: string) => {
        const row = load(id);
        const keep = visible(row) && matchesSearch(row);
        if (keep) matched.set(id, row);
        return keep;
      };
      return connections.connection(view, args, matches, (id) => matched.get(id) ?? load(id), toNode, state, info);
    },
  };
  return connections;
}
