/**
 * The Shopify sandbox's in-memory shop: customers, orders, tags and metafields, loaded from
 * `generateShop` records and kept as columns (typed arrays, strings that repeat kept once), so
 * a shop of a million customers fits a default Node heap. Rows are made on demand; a row that
 * changes is written back into the columns (orders: kept as objects once changed or added), so
 * `reset()` goes back to the loaded shop without generating it again.
 */
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../core/money.ts';
import type { ShopRecord, SynthOrder } from '../../synth/types.ts';
import { createCustomerColumns } from './customer-columns.ts';
import { createOrderColumns, type OrderFigures, type OrderKeyField } from './order-columns.ts';
export type { OrderKeyField } from './order-columns.ts';

/** The fields a sorted view of customers can sort on. */
export type CustomerKeyField = 'id' | 'createdAt' | 'updatedAt';

/** Parallel columns of row ids and sort values (see `ShopStore.orderKeys`). */
export interface KeyColumns {
  ids: Float64Array;
  values: Float64Array;
}
export interface MetafieldRow {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerRow {
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  tags: readonly string[];
  createdAt: string;
  updatedAt: string;
  /** Keyed by `namespace.key`. */
  metafields: ReadonlyMap<string, MetafieldRow>;
  orderIds: readonly string[];
}

export type OrderRow = Readonly<SynthOrder>;

/** The in-memory shop the resolvers read and write. */
export interface ShopStore {
  readonly currencyCode: string;
  /** Changes whenever a row of that resource changes. */
  version(resource: 'customers' | 'orders'): number;
  /** Changes only when rows are added or the shop is reset (ids never change otherwise). */
  membershipVersion(): number;
  customer(id: string): CustomerRow | undefined;
  order(id: string): OrderRow | undefined;
  /** What the derived customer figures read of an order, without making its row. */
  orderFigures(id: string): OrderFigures | undefined;
  customers(): Iterable<CustomerRow>;
  orders(): Iterable<OrderRow>;
  /**
   * Every row's numeric id and sort value (epoch ms of a time field, 0 when null; the id for
   * `id`, then `values` is `ids`), in iteration order, read without making the rows.
   */
  orderKeys(field: OrderKeyField): KeyColumns;
  customerKeys(field: CustomerKeyField): KeyColumns;
  customerCount(): number;
  orderCount(): number;
  updateCustomer(id: string, change: (row: CustomerRow) => CustomerRow): CustomerRow | undefined;
  putOrder(order: SynthOrder): OrderRow;
  nextMetafieldId(): string;
  reset(): void;
}

/**
 * Loads the records into a store. The shop currency is the first order's currency (the
 * synthetic shop has one shop currency), USD for a shop without orders.
 *
 * @example
 * const store = createShopStore(generateShop({ seed: 1, customers: 100, asOf: new Date() }));
 * store.customerCount(); // 100
 */
export function createShopStore(records: Iterable<ShopRecord>): ShopStore {
  const orders = createOrderColumns();
  const customers = createCustomerColumns((index) => orders.idAt(index));
  for (const record of records) {
    if (record.kind === 'customer') {
      const first = orders.loadedCount();
      for (const order of record.orders) orders.load(order);
      customers.load(record.customer, first, record.orders);
    } else {
      orders.load(record.order);
    }
  }
  orders.finishLoading();
  customers.finishLoading();
  const currencyCode = orders.firstCurrency() ?? 'USD';
  const versions = { customers: 0, orders: 0 };
  let membershipVersion = 0;
  let metafieldSequence = 0;

  return {
    currencyCode,
    version: (resource) => versions[resource],
    membershipVersion: () => membershipVersion,
    customer: (id) => customers.row(id),
    order: (id) => orders.row(id),
    orderFigures: (id) => orders.figures(id, currencyCode),
    customers: () => customers.rows(),
    orders: () => orders.rows(),
    orderKeys: (field) => orders.keyColumns(field),
    customerKeys: (field) => customers.keyColumns(field),
    customerCount: () => customers.count(),
    orderCount: () => orders.count(),
    updateCustomer(id, change) {
      const current = customers.row(id);
      if (!current) return undefined;
      const next = change(current);
      customers.write(next);
      versions.customers += 1;
      return next;
    },
    putOrder(order) {
      const row: OrderRow = { ...order, lines: order.lines.map((line) => ({ ...line })) };
      const isNew = orders.put(row);
      if (isNew) membershipVersion += 1;
      if (isNew && order.customerId) customers.addOrderId(order.customerId, order.id);
      versions.orders += 1;
      return row;
    },
    nextMetafieldId() {
      metafieldSequence += 1;
      return String(9_100_000_000 + metafieldSequence);
    },
    reset() {
      orders.reset();
      customers.reset();
      metafieldSequence = 0;
      versions.customers += 1;
      versions.orders += 1;
      membershipVersion += 1;
    },
  };
}

export { normaliseTagList } from './tag-list.ts';

/** Order change a test can apply: a refund of an amount (decimal string) and/or a cancellation. */
export interface OrderChange {
  refund?: string;
  cancel?: boolean;
}

/**
 * Applies a refund and/or cancellation to an order as Shopify would reflect it: the refunded
 * total grows, the current total shrinks (never below zero) and `updatedAt` moves to `now`.
 *
 * @example
 * applyOrderChange(order, { refund: '10.00' }, '2026-01-01T00:00:00.000Z');
 */
export function applyOrderChange(order: OrderRow, change: OrderChange, now: string): SynthOrder {
  let totalRefunded = order.totalRefunded;
  let currentTotalPrice = order.currentTotalPrice;
  if (change.refund !== undefined) {
    const refund = parseMoneyToMinorUnits(change.refund, order.currencyCode);
    if (refund === null || refund < 0) throw new Error(`order ${order.id}: refund "${change.refund}" is not a positive decimal amount`);
    const total = minor(order.totalPrice, order);
    const refunded = Math.min(total, minor(order.totalRefunded, order) + refund);
    totalRefunded = formatMinorUnits(refunded, order.currencyCode);
    currentTotalPrice = formatMinorUnits(total - refunded, order.currencyCode);
  }
  return {
    ...order,
    lines: order.lines.map((line) => ({ ...line })),
    totalRefunded,
    currentTotalPrice,
    cancelledAt: change.cancel ? (order.cancelledAt ?? now) : order.cancelledAt,
    updatedAt: now,
  };
}

function minor(amount: string, order: OrderRow): number {
  const value = parseMoneyToMinorUnits(amount, order.currencyCode);
  if (value === null) throw new Error(`order ${order.id}: amount "${amount}" is not a decimal`);
  return value;
}
