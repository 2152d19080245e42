import { DAY_MS, isCountableOrder, type Order } from './order.ts';

/** What the segmentation needs to know of one customer, as of `asOf` (DESIGN.md "Order facts"). */
export interface CustomerFacts {
  readonly customerId: string;
  /** Email of the customer's most recent order that has one. */
  readonly email: string | null;
  readonly firstOrderAt: number;
  readonly lastOrderAt: number;
  /** Every countable order the store holds up to asOf. */
  readonly orders: number;
  readonly revenueCents: number;
  readonly aovCents: number;
  readonly ordersLast365: number;
  readonly revenueLast365Cents: number;
  /** Historical LTV: net revenue in the history window (default 730 days). */
  readonly ltvCents: number;
  readonly daysSinceLast: number;
  readonly tenureDays: number;
  /** First-order month, `YYYY-MM` (UTC). */
  readonly cohort: string;
  /** Orders in the last trend window − orders in the window before it, unclamped. */
  readonly orderTrend: number;
  /** Orders in the last improvement window − orders in the window before it, unclamped. */
  readonly orderImprovement: number;
  /** Product type with the most units bought; ties alphabetical; null when none is known. */
  readonly topCategory: string | null;
}

export interface FactsOptions {
  readonly asOf: Date;
  readonly historyDays: number;
  readonly trendWindowDays: number;
  readonly improvementWindowDays: number;
}

export interface FactsResult {
  /** One entry per customer with at least one countable order, sorted by customer id. */
  readonly customers: CustomerFacts[];
  readonly counts: OrderCounts;
}

export interface OrderCounts {
  readonly seen: number;
  readonly counted: number;
  readonly test: number;
  readonly cancelled: number;
  readonly afterAsOf: number;
  /** Countable guest orders (no customer): reported, not segmented. */
  readonly guest: number;
  readonly guestRevenueCents: number;
}

interface Accumulator {
  email: string | null;
  emailAt: number;
  firstOrderAt: number;
  lastOrderAt: number;
  orders: number;
  revenueCents: number;
  ordersLast365: number;
  revenueLast365Cents: number;
  ltvCents: number;
  trendRecent: number;
  trendBefore: number;
  improvementRecent: number;
  improvementBefore: number;
  categoryUnits: Map<string, number> | null;
}

/**
 * Builds per-customer facts from orders, one order at a time, so a file or a database cursor
 * can stream through it. Pure: the only time it knows is `options.asOf`.
 *
 * @example
 * const facts = createFactsBuilder({ asOf, historyDays: 730, trendWindowDays: 180, improvementWindowDays: 365 });
 * for (const order of orders) facts.add(order);
 * const { customers, counts } = facts.finish();
 */
export function createFactsBuilder(options: FactsOptions) {
  const asOfMs = options.asOf.getTime();
  const byCustomer = new Map<string, Accumulator>();
  const counts = { seen: 0, counted: 0, test: 0, cancelled: 0, afterAsOf: 0, guest: 0, guestRevenueCents: 0 };

  function add(order: Order): void {
    counts.seen++;
    if (order.processedAt > asOfMs) return void counts.afterAsOf++;
    if (!isCountableOrder(order)) return void (order.test ? counts.test++ : counts.cancelled++);
    if (order.customerId === null) {
      counts.guest++;
      counts.guestRevenueCents += order.totalCents;
      return;
    }
    counts.counted++;
    const age = ageInDays(asOfMs, order.processedAt);
    let acc = byCustomer.get(order.customerId);
    if (!acc) {
      acc = emptyAccumulator(order.processedAt);
      byCustomer.set(order.customerId, acc);
    }
    acc.orders++;
    acc.revenueCents += order.totalCents;
    if (order.processedAt < acc.firstOrderAt) acc.firstOrderAt = order.processedAt;
    if (order.processedAt > acc.lastOrderAt) acc.lastOrderAt = order.processedAt;
    if (order.email && order.processedAt >= acc.emailAt) {
      acc.email = order.email;
      acc.emailAt = order.processedAt;
    }
    if (age < 365) {
      acc.ordersLast365++;
      acc.revenueLast365Cents += order.totalCents;
    }
    if (age < options.historyDays) acc.ltvCents += order.totalCents;
    if (age < options.trendWindowDays) acc.trendRecent++;
    else if (age < 2 * options.trendWindowDays) acc.trendBefore++;
    if (age < options.improvementWindowDays) acc.improvementRecent++;
    else if (age < 2 * options.improvementWindowDays) acc.improvementBefore++;
    for (const line of order.lines) {
      if (!line.productType || line.quantity <= 0) continue;
      acc.categoryUnits ??= new Map();
      acc.categoryUnits.set(line.productType, (acc.categoryUnits.get(line.productType) ?? 0) + line.quantity);
    }
  }

  function finish(): FactsResult {
    const ids = [...byCustomer.keys()].sort(compareIds);
    const customers = ids.map((customerId) => toFacts(customerId, byCustomer.get(customerId)!, asOfMs));
    return { customers, counts: { ...counts } };
  }

  return { add, finish };
}

/** Facts from an in-memory list of orders (tests, small files). */
export function computeFacts(orders: Iterable<Order>, options: FactsOptions): FactsResult {
  const builder = createFactsBuilder(options);
  for (const order of orders) builder.add(order);
  return builder.finish();
}

/** Whole days between an instant and asOf: floor((asOf − t) / 24 h). */
export function ageInDays(asOfMs: number, atMs: number): number {
  return Math.floor((asOfMs - atMs) / DAY_MS);
}

/**
 * Orders customer ids deterministically and naturally for same-shaped ids: shorter first, then
 * by code unit, so "9" < "10" and "gid://shopify/Customer/9" < "gid://shopify/Customer/10".
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyAccumulator(at: number): Accumulator {
  return {
    email: null, emailAt: -Infinity, firstOrderAt: at, lastOrderAt: at, orders: 0, revenueCents: 0,
    ordersLast365: 0, revenueLast365Cents: 0, ltvCents: 0, trendRecent: 0, trendBefore: 0,
    improvementRecent: 0, improvementBefore: 0, categoryUnits: null,
  };
}

function toFacts(customerId: string, acc: Accumulator, asOfMs: number): CustomerFacts {
  return {
    customerId,
    email: acc.email,
    firstOrderAt: acc.firstOrderAt,
    lastOrderAt: acc.lastOrderAt,
    orders: acc.orders,
    revenueCents: acc.revenueCents,
    aovCents: Math.round(acc.revenueCents / acc.orders),
    ordersLast365: acc.ordersLast365,
    revenueLast365Cents: acc.revenueLast365Cents,
    ltvCents: acc.ltvCents,
    daysSinceLast: ageInDays(asOfMs, acc.lastOrderAt),
    tenureDays: ageInDays(asOfMs, acc.firstOrderAt),
    cohort: new Date(acc.firstOrderAt).toISOString().slice(0, 7),
    orderTrend: acc.trendRecent - acc.trendBefore,
    orderImprovement: acc.improvementRecent - acc.improvementBefore,
    topCategory: topCategory(acc.categoryUnits),
  };
}

function topCategory(units: Map<string, number> | null): string | null {
  if (!units) return null;
  let best: string | null = null;
  let bestUnits = -1;
  for (const [category, count] of units) {
    if (count > bestUnits || (count === bestUnits && best !== null && category < best)) {
      best = category;
      bestUnits = count;
    }
  }
  return best;
}
