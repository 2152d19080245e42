/**
 * The shop's rows as Admin API objects: plain values whose lazily computed fields (connections,
 * related objects) are functions, which graphql-js's default resolver calls with the field's
 * arguments. Fields not set here resolve to null.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../../core/money.ts';
import type { SynthLine } from '../../../synth/types.ts';
import type { Args, ExecutionState } from '../graphql/execution-state.ts';
import { buildSortedView } from '../pagination.ts';
import { ORDER_SEARCH_FIELDS, orderSortValue } from '../connections.ts';
import type { Connections } from '../connections.ts';
import type { CustomerRow, MetafieldRow, OrderRow, ShopStore } from '../shop-store.ts';
import type { OrderFigures } from '../order-columns.ts';
import { amountSpentMinor, customerStatistics } from './customer-statistics.ts';

export interface ShopObjects {
  order(row: OrderRow): Record<string, unknown>;
  customer(row: CustomerRow): Record<string, unknown>;
  metafield(row: MetafieldRow, ownerId: string): Record<string, unknown>;
}

/**
 * @example
 * const objects = createShopObjects({ store, now: Date.now, connections: createConnections(store) });
 * objects.customer(store.customer('7100000001')!).email;
 */
export function createShopObjects(deps: {
  store: ShopStore;
  now: () => number;
  connections: Connections;
  /** Orders the app may see (all, or the last 60 days without `read_all_orders`). */
  orderVisible: () => (row: OrderRow) => boolean;
}): ShopObjects {
  const { store, connections } = deps;
  const currency = store.currencyCode;
  const money = (amount: string) => ({ __typename: 'MoneyV2', amount, currencyCode: currency });
  const moneyBag = (amount: string) => ({ __typename: 'MoneyBag', shopMoney: money(amount), presentmentMoney: money(amount) });

  const productIds = new Map<string, string>();
  const product = (productType: string) => {
    let id = productIds.get(productType);
    if (!id) {
      id = String(8_100_000_001 + productIds.size);
      productIds.set(productType, id);
    }
    return { __typename: 'Product', id: `gid://shopify/Product/${id}`, productType, title: productType };
  };

  const lineItem = (line: SynthLine) => {
    const total = parseMoneyToMinorUnits(line.unitPrice, currency) ?? 0;
    return {
      __typename: 'LineItem',
      id: `gid://shopify/LineItem/${line.id}`,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      currentQuantity: line.quantity,
      originalUnitPriceSet: moneyBag(line.unitPrice),
      originalTotalSet: moneyBag(formatMinorUnits(total * line.quantity, currency)),
      product: line.productType ? product(line.productType) : null,
    };
  };

  const loadOrder = (id: string) => store.order(id) as OrderRow;
  const customerOrders = (row: CustomerRow) => row.orderIds.map((id) => store.order(id)).filter((o): o is OrderRow => o !== undefined);
  const customerOrderFigures = (row: CustomerRow) => row.orderIds.map((id) => store.orderFigures(id)).filter((o): o is OrderFigures => o !== undefined);

  const objects: ShopObjects = {
    order: (row) => ({
      __typename: 'Order',
      id: `gid://shopify/Order/${row.id}`,
      legacyResourceId: row.id,
      name: row.name,
      email: row.email,
      createdAt: row.createdAt,
      processedAt: row.processedAt,
      updatedAt: row.updatedAt,
      cancelledAt: row.cancelledAt,
      closed: false,
      test: row.test,
      currencyCode: row.currencyCode,
      presentmentCurrencyCode: row.currencyCode,
      totalPriceSet: moneyBag(row.totalPrice),
      totalRefundedSet: moneyBag(row.totalRefunded),
      currentTotalPriceSet: moneyBag(row.currentTotalPrice),
      customer: () => {
        const owner = row.customerId ? store.customer(row.customerId) : undefined;
        return owner ? objects.customer(owner) : null;
      },
      lineItems: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
        const lines = new Map(row.lines.map((line) => [line.id, line]));
        const view = buildSortedView(row.lines, (line) => Number(line.id));
        return connections.connection(view, args, () => true, (id) => lines.get(id) as SynthLine, lineItem, state, info);
      },
    }),

    customer: (row) => ({
      __typename: 'Customer',
      id: `gid://shopify/Customer/${row.id}`,
      legacyResourceId: row.id,
      firstName: row.firstName,
      lastName: row.lastName,
      displayName: `${row.firstName} ${row.lastName}`.trim(),
      email: row.email,
      defaultEmailAddress: row.email
        ? { __typename: 'CustomerEmailAddress', emailAddress: row.email, marketingState: 'NOT_SUBSCRIBED', validFormat: true }
        : null,
      tags: [...row.tags],
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      numberOfOrders: () => String(row.orderIds.length),
      amountSpent: () => money(formatMinorUnits(amountSpentMinor(customerOrderFigures(row)), currency)),
      statistics: () => customerStatistics(customerOrderFigures(row), currency, deps.now()),
      metafield: ({ namespace, key }: Args) => {
        const found = row.metafields.get(`${(namespace as string | undefined) ?? '$app'}.${String(key)}`);
        return found ? objects.metafield(found, row.id) : null;
      },
      metafields: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
        const rows = [...row.metafields.values()].filter((m) => args.namespace == null || m.namespace === args.namespace);
        const byId = new Map(rows.map((m) => [m.id, m]));
        const view = buildSortedView(rows, (m) => Number(m.id));
        return connections.connection(view, args, () => true, (id) => byId.get(id) as MetafieldRow, (m) => objects.metafield(m, row.id), state, info);
      },
      orders: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
        const view = buildSortedView(customerOrders(row), orderSortValue(String(args.sortKey ?? 'ID')));
        return connections.searchConnection(view, ORDER_SEARCH_FIELDS, loadOrder, objects.order, args, state, info, deps.orderVisible());
      },
    }),

    metafield: (row, ownerId) => ({
      __typename: 'Metafield',
      id: `gid://shopify/Metafield/${row.id}`,
      legacyResourceId: row.id,
      namespace: row.namespace,
      key: row.key,
      type: row.type,
      value: row.value,
      jsonValue: () => metafieldJsonValue(row),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      ownerType: 'CUSTOMER',
      owner: () => {
        const owner = store.customer(ownerId);
        return owner ? objects.customer(owner) : null;
      },
    }),
  };
  return objects;
}

function metafieldJsonValue(row: MetafieldRow): unknown {
  switch (row.type) {
    case 'number_integer':
      return Number.parseInt(row.value, 10);
    case 'number_decimal':
      return row.value;
    case 'boolean':
      return row.value === 'true';
    case 'json':
      return JSON.parse(row.value) as unknown;
    default:
      return row.value;
  }
}
