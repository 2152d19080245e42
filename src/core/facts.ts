import { detachString } from '../util/detach-string.ts';
import { DAY_MS, isCountableOrder, type Order } from './order.ts';

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
    const at = order.processedAt;
    const age = ageInDays(asOfMs, at);
    const total = order.totalCents;
    let slot = slots.get(order.customerId);
    if (slot === undefined) {
      slot = c.add(order.customerId, at);
      slots.set(order.customerId, slot);
    }
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
  }

  function finish(): FactsResult {
    const best = topCategories(c, categoryUnits, spilledUnits, categoryNames);
    const order = Array.from({ length: c.size }, (_, slot) => slot).sort((a, b) => compareIds(c.ids[a]!, c.ids[b]!));
    // One string per first-order month, shared: a million customers have a few dozen cohorts.
    const cohorts = new Map<number, string>();
    const cohortOf = (at: number) => {
      const month = monthIndex(at);
      let cohort = cohorts.get(month);
      if (cohort === undefined) {
        cohort = cohortName(at);
        cohorts.set(month, cohort);
      }
      return cohort;
    };
    const customers = order.map((slot): CustomerFacts => {
      const orders = c.orders[slot]!;
      return {
        customerId: c.ids[slot]!,
        email: c.emails[slot]!,
        firstOrderAt: c.firstOrderAt[slot]!,
        lastOrderAt: c.lastOrderAt[slot]!,
        orders,
        revenueCents: c.revenueCents[slot]!,
        aovCents: Math.round(c.revenueCents[slot]! / orders),
        ordersLast365: c.ordersLast365[slot]!,
        revenueLast365Cents: c.revenueLast365Cents[slot]!,
        ltvCents: c.ltvCents[slot]!,
        daysSinceLast: ageInDays(asOfMs, c.lastOrderAt[slot]!),
        tenureDays: ageInDays(asOfMs, c.firstOrderAt[slot]!),
        cohort: cohortOf(c.firstOrderAt[slot]!),
        orderTrend: c.trendRecent[slot]! - c.trendBefore[slot]!,
        orderImprovement: c.improvementRecent[slot]! - c.improvementBefore[slot]!,
        topCategory: best[slot] ?? null,
      };
    });
    // The builder's maps and columns are as large as the result: let them go before the caller segments.
    slots.clear();
    categoryUnits.clear();
    spilledUnits.clear();
    c.release();
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

/** The category with most units per customer slot; ties go to the alphabetically first name. */
function topCategories(c: Columns, units: ReadonlyMap<number, number>, spilled: ReadonlyMap<string, number>, names: readonly string[]): (string | undefined)[] {
  const best = new Array<string | undefined>(c.size);
  const bestUnits = new Float64Array(c.size);
  const consider = (slot: number, category: number, count: number) => {
    const name = names[category]!;
    const current = best[slot];
    if (current === undefined || count > bestUnits[slot]! || (count === bestUnits[slot] && name < current)) {
      best[slot] = name;
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
