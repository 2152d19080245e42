import { detachString } from '../util/detach-string.ts';
import { DAY_MS, isCountableOrder, type FactsOrder, type Order } from './order.ts';

/** What the segmentation needs to know of one customer, as of `asOf` (docs/DESIGN.md "Order facts"). */
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

/**
 * Every customer's facts as columns, position i the i-th customer by id ({@link compareIds}):
 * numbers in typed arrays, cohorts and categories as indexes into their name lists (-1: none).
 * What the segmentation of a large shop reads instead of a million {@link CustomerFacts}.
 */
export interface FactsColumns {
  readonly length: number;
  readonly customerId: readonly string[];
  readonly email: readonly (string | null)[];
  readonly firstOrderAt: Float64Array;
  readonly lastOrderAt: Float64Array;
  readonly orders: Int32Array;
  readonly revenueCents: Float64Array;
  readonly aovCents: Float64Array;
  readonly ordersLast365: Int32Array;
  readonly revenueLast365Cents: Float64Array;
  readonly ltvCents: Float64Array;
  readonly daysSinceLast: Int32Array;
  readonly tenureDays: Int32Array;
  readonly cohort: Int32Array;
  readonly cohortNames: readonly string[];
  readonly orderTrend: Int32Array;
  readonly orderImprovement: Int32Array;
  readonly topCategory: Int32Array;
  readonly categoryNames: readonly string[];
  /** The builder's slot of each position (what {@link createFactsBuilder}'s `add` returned for its orders). */
  readonly slotOf: Int32Array;
}

export interface FactsColumnsResult {
  readonly facts: FactsColumns;
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

/**
 * Per-customer running totals, one slot per customer in growable typed arrays: a million
 * customers cost a few flat buffers instead of a million objects for the GC to trace.
 */
class Columns {
  capacity = 1024;
  size = 0;
  firstOrderAt = new Float64Array(this.capacity);
  lastOrderAt = new Float64Array(this.capacity);
  emailAt = new Float64Array(this.capacity);
  revenueCents = new Float64Array(this.capacity);
  revenueLast365Cents = new Float64Array(this.capacity);
  ltvCents = new Float64Array(this.capacity);
  orders = new Int32Array(this.capacity);
  ordersLast365 = new Int32Array(this.capacity);
  trendRecent = new Int32Array(this.capacity);
  trendBefore = new Int32Array(this.capacity);
  improvementRecent = new Int32Array(this.capacity);
  improvementBefore = new Int32Array(this.capacity);
  /** A customer's first two product types (category index, -1 for none) and their units, kept inline. */
  firstCategory = new Int32Array(this.capacity);
  firstCategoryUnits = new Float64Array(this.capacity);
  secondCategory = new Int32Array(this.capacity);
  secondCategoryUnits = new Float64Array(this.capacity);
  ids: string[] = [];
  emails: (string | null)[] = [];

  add(id: string, at: number): number {
    if (this.size === this.capacity) this.grow();
    const slot = this.size++;
    this.ids.push(detachString(id));
    this.emails.push(null);
    this.firstOrderAt[slot] = at;
    this.lastOrderAt[slot] = at;
    this.emailAt[slot] = -Infinity;
    this.firstCategory[slot] = -1;
    this.secondCategory[slot] = -1;
    return slot;
  }

  /** Drops the columns once finished (the facts hold their own copies of the values). */
  release(): void {
    this.capacity = 0;
    this.size = 0;
    this.firstOrderAt = this.lastOrderAt = this.emailAt = this.revenueCents = this.revenueLast365Cents = this.ltvCents = new Float64Array(0);
    this.firstCategoryUnits = this.secondCategoryUnits = new Float64Array(0);
    this.orders = this.ordersLast365 = this.trendRecent = this.trendBefore = this.improvementRecent = this.improvementBefore = new Int32Array(0);
    this.firstCategory = this.secondCategory = new Int32Array(0);
    this.ids = [];
    this.emails = [];
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = <T extends Float64Array | Int32Array>(old: T): T => {
      const next = new (old.constructor as new (n: number) => T)(this.capacity);
      next.set(old);
      return next;
    };
    this.firstOrderAt = widen(this.firstOrderAt);
    this.lastOrderAt = widen(this.lastOrderAt);
    this.emailAt = widen(this.emailAt);
    this.revenueCents = widen(this.revenueCents);
    this.revenueLast365Cents = widen(this.revenueLast365Cents);
    this.ltvCents = widen(this.ltvCents);
    this.orders = widen(this.orders);
    this.ordersLast365 = widen(this.ordersLast365);
    this.trendRecent = widen(this.trendRecent);
    this.trendBefore = widen(this.trendBefore);
    this.improvementRecent = widen(this.improvementRecent);
    this.improvementBefore = widen(this.improvementBefore);
    this.firstCategory = widen(this.firstCategory);
    this.firstCategoryUnits = widen(this.firstCategoryUnits);
    this.secondCategory = widen(this.secondCategory);
    this.secondCategoryUnits = widen(this.secondCategoryUnits);
  }
}

/**
 * Units bought per (customer slot, category): a customer's first two categories inline in the
 * columns (most customers buy from one or two; a map entry per pair was a quarter of the facts
 * time on 3M orders), further ones keyed slot × 256 + category index: a key below
 * 2^31 stays a small integer in V8, which a Map hashes without allocating. Stores with more
 * than 256 product types (or 8 million customers) spill into a string-keyed map.
 */
const CATEGORY_SLOTS = 256;
const SMALL_KEY_SLOTS = 2 ** 31 / CATEGORY_SLOTS;

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
  const slots = new Map<string, number>();
  const c = new Columns();
  const categoryIndex = new Map<string, number>();
  const categoryNames: string[] = [];
  const categoryUnits = new Map<number, number>();
  const spilledUnits = new Map<string, number>();
  const counts = { seen: 0, counted: 0, test: 0, cancelled: 0, afterAsOf: 0, guest: 0, guestRevenueCents: 0 };
  let lastCustomerId: string | null = null;
  let lastSlot = -1;

  /** Adds an order; returns the customer's slot, or -1 when the order is not counted for a customer. */
  function add(order: FactsOrder): number {
    counts.seen++;
    if (order.processedAt > asOfMs) {
      counts.afterAsOf++;
      return -1;
    }
    if (!isCountableOrder(order)) {
      if (order.test) counts.test++;
      else counts.cancelled++;
      return -1;
    }
    if (order.customerId === null) {
      counts.guest++;
      counts.guestRevenueCents += order.totalCents;
      return -1;
    }
    counts.counted++;
    const at = order.processedAt;
    const age = ageInDays(asOfMs, at);
    const total = order.totalCents;
    // A customer's orders usually come together (an export, the store's pages): the last slot saves a map lookup.
    let slot = order.customerId === lastCustomerId ? lastSlot : slots.get(order.customerId);
    if (slot === undefined) {
      slot = c.add(order.customerId, at);
      slots.set(order.customerId, slot);
    }
    lastCustomerId = order.customerId;
    lastSlot = slot;
    c.orders[slot]!++;
    c.revenueCents[slot]! += total;
    if (at < c.firstOrderAt[slot]!) c.firstOrderAt[slot] = at;
    if (at > c.lastOrderAt[slot]!) c.lastOrderAt[slot] = at;
    if (order.email && at >= c.emailAt[slot]!) {
      if (c.emails[slot] !== order.email) c.emails[slot] = detachString(order.email);
      c.emailAt[slot] = at;
    }
    if (age < 365) {
      c.ordersLast365[slot]!++;
      c.revenueLast365Cents[slot]! += total;
    }
    if (age < options.historyDays) c.ltvCents[slot]! += total;
    if (age < options.trendWindowDays) c.trendRecent[slot]!++;
    else if (age < 2 * options.trendWindowDays) c.trendBefore[slot]!++;
    if (age < options.improvementWindowDays) c.improvementRecent[slot]!++;
    else if (age < 2 * options.improvementWindowDays) c.improvementBefore[slot]!++;
    for (const line of order.lines) {
      if (!line.productType || line.quantity <= 0) continue;
      let category = categoryIndex.get(line.productType);
      if (category === undefined) {
        category = categoryNames.push(line.productType) - 1;
        categoryIndex.set(line.productType, category);
      }
      if (category === c.firstCategory[slot] || c.firstCategory[slot] === -1) {
        c.firstCategory[slot] = category;
        c.firstCategoryUnits[slot]! += line.quantity;
      } else if (category === c.secondCategory[slot] || c.secondCategory[slot] === -1) {
        c.secondCategory[slot] = category;
        c.secondCategoryUnits[slot]! += line.quantity;
      } else if (category < CATEGORY_SLOTS && slot < SMALL_KEY_SLOTS) {
        const key = slot * CATEGORY_SLOTS + category;
        categoryUnits.set(key, (categoryUnits.get(key) ?? 0) + line.quantity);
      } else {
        const key = `${slot}:${category}`;
        spilledUnits.set(key, (spilledUnits.get(key) ?? 0) + line.quantity);
      }
    }
    return slot;
  }

  function finishColumns(): FactsColumnsResult {
    const best = topCategories(c, categoryUnits, spilledUnits, categoryNames);
    // The slot map is as large as the result: let it go before the columns are laid out.
    slots.clear();
    lastCustomerId = null;
    categoryUnits.clear();
    spilledUnits.clear();
    const n = c.size;
    const slotOf = Int32Array.from({ length: n }, (_, slot) => slot).sort((a, b) => compareIds(c.ids[a]!, c.ids[b]!));
    /** A builder column in id order. */
    const permuted = <T extends Float64Array | Int32Array>(column: T): T => {
      const next = new (column.constructor as new (n: number) => T)(n);
      for (let i = 0; i < n; i++) next[i] = column[slotOf[i]!]!;
      return next;
    };
    const customerId = new Array<string>(n);
    const email = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      customerId[i] = c.ids[slotOf[i]!]!;
      email[i] = c.emails[slotOf[i]!]!;
    }
    c.ids = [];
    c.emails = [];
    const orders = permuted(c.orders);
    const revenueCents = permuted(c.revenueCents);
    const firstOrderAt = permuted(c.firstOrderAt);
    const lastOrderAt = permuted(c.lastOrderAt);
    const aovCents = new Float64Array(n);
    const daysSinceLast = new Int32Array(n);
    const tenureDays = new Int32Array(n);
    const orderTrend = new Int32Array(n);
    const orderImprovement = new Int32Array(n);
    const topCategory = new Int32Array(n);
    // One name per first-order month, shared: a million customers have a few dozen cohorts.
    const cohort = new Int32Array(n);
    const cohortNames: string[] = [];
    const cohortCodes = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const slot = slotOf[i]!;
      aovCents[i] = Math.round(revenueCents[i]! / orders[i]!);
      daysSinceLast[i] = ageInDays(asOfMs, lastOrderAt[i]!);
      tenureDays[i] = ageInDays(asOfMs, firstOrderAt[i]!);
      orderTrend[i] = c.trendRecent[slot]! - c.trendBefore[slot]!;
      orderImprovement[i] = c.improvementRecent[slot]! - c.improvementBefore[slot]!;
      topCategory[i] = best[slot]!;
      const month = monthIndex(firstOrderAt[i]!);
      let code = cohortCodes.get(month);
      if (code === undefined) {
        code = cohortNames.push(cohortName(firstOrderAt[i]!)) - 1;
        cohortCodes.set(month, code);
      }
      cohort[i] = code;
    }
    const facts: FactsColumns = {
      length: n,
      customerId,
      email,
      firstOrderAt,
      lastOrderAt,
      orders,
      revenueCents,
      aovCents,
      ordersLast365: permuted(c.ordersLast365),
      revenueLast365Cents: permuted(c.revenueLast365Cents),
      ltvCents: permuted(c.ltvCents),
      daysSinceLast,
      tenureDays,
      cohort,
      cohortNames,
      orderTrend,
      orderImprovement,
      topCategory,
      categoryNames,
      slotOf,
    };
    c.release();
    return { facts, counts: { ...counts } };
  }

  function finish(): FactsResult {
    const { facts, counts } = finishColumns();
    return { customers: Array.from({ length: facts.length }, (_, i) => factsAt(facts, i)), counts };
  }

  return { add, finish, finishColumns };
}

/** The facts of position `i` as one object. */
function factsAt(facts: FactsColumns, i: number): CustomerFacts {
  const category = facts.topCategory[i]!;
  return {
    customerId: facts.customerId[i]!,
    email: facts.email[i]!,
    firstOrderAt: facts.firstOrderAt[i]!,
    lastOrderAt: facts.lastOrderAt[i]!,
    orders: facts.orders[i]!,
    revenueCents: facts.revenueCents[i]!,
    aovCents: facts.aovCents[i]!,
    ordersLast365: facts.ordersLast365[i]!,
    revenueLast365Cents: facts.revenueLast365Cents[i]!,
    ltvCents: facts.ltvCents[i]!,
    daysSinceLast: facts.daysSinceLast[i]!,
    tenureDays: facts.tenureDays[i]!,
    cohort: facts.cohortNames[facts.cohort[i]!]!,
    orderTrend: facts.orderTrend[i]!,
    orderImprovement: facts.orderImprovement[i]!,
    topCategory: category < 0 ? null : facts.categoryNames[category]!,
  };
}

/**
 * Facts objects as columns, in the order given (tests and small inputs; a shop's facts come
 * as columns from {@link createFactsBuilder}).
 */
export function factsToColumns(customers: readonly CustomerFacts[]): FactsColumns {
  const n = customers.length;
  const codes = (values: (string | null)[]) => {
    const names: string[] = [];
    const index = new Map<string, number>();
    const column = new Int32Array(n);
    values.forEach((value, i) => {
      if (value === null) return void (column[i] = -1);
      let code = index.get(value);
      if (code === undefined) {
        code = names.push(value) - 1;
        index.set(value, code);
      }
      column[i] = code;
    });
    return { column, names };
  };
  const floats = (pick: (c: CustomerFacts) => number) => Float64Array.from(customers, pick);
  const ints = (pick: (c: CustomerFacts) => number) => Int32Array.from(customers, pick);
  const cohorts = codes(customers.map((c) => c.cohort));
  const categories = codes(customers.map((c) => c.topCategory));
  return {
    length: n,
    customerId: customers.map((c) => c.customerId),
    email: customers.map((c) => c.email),
    firstOrderAt: floats((c) => c.firstOrderAt),
    lastOrderAt: floats((c) => c.lastOrderAt),
    orders: ints((c) => c.orders),
    revenueCents: floats((c) => c.revenueCents),
    aovCents: floats((c) => c.aovCents),
    ordersLast365: ints((c) => c.ordersLast365),
    revenueLast365Cents: floats((c) => c.revenueLast365Cents),
    ltvCents: floats((c) => c.ltvCents),
    daysSinceLast: ints((c) => c.daysSinceLast),
    tenureDays: ints((c) => c.tenureDays),
    cohort: cohorts.column,
    cohortNames: cohorts.names,
    orderTrend: ints((c) => c.orderTrend),
    orderImprovement: ints((c) => c.orderImprovement),
    topCategory: categories.column,
    categoryNames: categories.names,
    slotOf: Int32Array.from({ length: n }, (_, i) => i),
  };
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

/** First-order month `YYYY-MM` in UTC. */
function cohortName(at: number): string {
  const date = new Date(at);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Months since 1970-01 (UTC) of an instant: the key cohortName is the same for. */
function monthIndex(at: number): number {
  const date = new Date(at);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** The category (index into `names`, -1 for none) with most units per customer slot; ties go to the alphabetically first name. */
function topCategories(c: Columns, units: ReadonlyMap<number, number>, spilled: ReadonlyMap<string, number>, names: readonly string[]): Int32Array {
  const best = new Int32Array(c.size).fill(-1);
  const bestUnits = new Float64Array(c.size);
  const consider = (slot: number, category: number, count: number) => {
    const current = best[slot]!;
    if (current === -1 || count > bestUnits[slot]! || (count === bestUnits[slot] && names[category]! < names[current]!)) {
      best[slot] = category;
      bestUnits[slot] = count;
    }
  };
  for (let slot = 0; slot < c.size; slot++) {
    if (c.firstCategory[slot] !== -1) consider(slot, c.firstCategory[slot]!, c.firstCategoryUnits[slot]!);
    if (c.secondCategory[slot] !== -1) consider(slot, c.secondCategory[slot]!, c.secondCategoryUnits[slot]!);
  }
  for (const [key, count] of units) consider(Math.floor(key / CATEGORY_SLOTS), key % CATEGORY_SLOTS, count);
  for (const [key, count] of spilled) {
    const [slot, category] = key.split(':').map(Number);
    consider(slot!, category!, count);
  }
  return best;
}
