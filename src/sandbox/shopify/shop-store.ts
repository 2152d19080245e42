/**
 * The Shopify sandbox's in-memory shop: customers, orders, tags and metafields, loaded from
 * `generateShop` records. Rows loaded at start-up are shared until changed (copy on write), so
 * `reset()` goes back to the loaded shop without generating it again.
 */
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../core/money.ts';
import type { ShopRecord, SynthCustomer, SynthOrder } from '../../synth/types.ts';

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
  customers(): Iterable<CustomerRow>;
  orders(): Iterable<OrderRow>;
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
  const initialCustomers = new Map<string, CustomerRow>();
  const initialOrders = new Map<string, OrderRow>();
  for (const record of records) {
    if (record.kind === 'customer') {
      initialCustomers.set(record.customer.id, customerRow(record.customer, record.orders));
      for (const order of record.orders) initialOrders.set(order.id, order);
    } else {
      initialOrders.set(record.order.id, record.order);
    }
  }
  const firstOrder = initialOrders.values().next();
  const currencyCode = firstOrder.done ? 'USD' : firstOrder.value.currencyCode;

  let customers = new Map(initialCustomers);
  let orders = new Map(initialOrders);
  const versions = { customers: 0, orders: 0 };
  let membershipVersion = 0;
  let metafieldSequence = 0;

  return {
    currencyCode,
    version: (resource) => versions[resource],
    membershipVersion: () => membershipVersion,
    customer: (id) => customers.get(id),
    order: (id) => orders.get(id),
    customers: () => customers.values(),
    orders: () => orders.values(),
    customerCount: () => customers.size,
    orderCount: () => orders.size,
    updateCustomer(id, change) {
      const current = customers.get(id);
      if (!current) return undefined;
      const next = change(current);
      customers.set(id, next);
      versions.customers += 1;
      return next;
    },
    putOrder(order) {
      const row: OrderRow = { ...order, lines: order.lines.map((line) => ({ ...line })) };
      const isNew = !orders.has(order.id);
      orders.set(order.id, row);
      if (isNew) membershipVersion += 1;
      if (isNew && order.customerId) {
        const owner = customers.get(order.customerId);
        if (owner) customers.set(owner.id, { ...owner, orderIds: [...owner.orderIds, order.id] });
      }
      versions.orders += 1;
      return row;
    },
    nextMetafieldId() {
      metafieldSequence += 1;
      return String(9_100_000_000 + metafieldSequence);
    },
    reset() {
      customers = new Map(initialCustomers);
      orders = new Map(initialOrders);
      metafieldSequence = 0;
      versions.customers += 1;
      versions.orders += 1;
      membershipVersion += 1;
    },
  };
}

function customerRow(customer: SynthCustomer, orders: readonly SynthOrder[]): CustomerRow {
  return {
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    tags: normaliseTagList(customer.tags),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    metafields: new Map(),
    orderIds: orders.map((order) => order.id),
  };
}

/**
 * Shopify keeps a resource's tags unique (case-insensitively) and returns them sorted; each
 * tag is trimmed. https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd
 *
 * @example
 * normaliseTagList([' vip', 'VIP', 'b']); // ['b', 'vip']
 */
export function normaliseTagList(tags: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag !== '' && !byKey.has(tag.toLowerCase())) byKey.set(tag.toLowerCase(), tag);
  }
  return [...byKey.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
}

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
