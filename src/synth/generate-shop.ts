import { DAY_MS } from '../core/order.ts';
import { seededRandom } from '../util/seeded-random.ts';
import { createBusyCalendar, historyDaysOf, type BusyCalendar } from './calendar.ts';
import { createIsoSeconds } from './iso-time.ts';
import { CATALOGUE, type CatalogueType } from './catalogue.ts';
import { currencySpec, formatMinor, type CurrencySpec } from './currency.ts';
import { exponential, logNormal, pareto, pickOne, weightedPicker, type Random } from './distributions.ts';
import { makePerson, merchantTags } from './people.ts';
import type { GenerateShopOptions, ShopRecord, SynthCustomer, SynthLine, SynthOrder } from './types.ts';

export type { GenerateShopOptions, ShopRecord, SynthCustomer, SynthLine, SynthOrder } from './types.ts';

/** Legacy id bases, in the ranges real shops use; ids then increase by one per record. */
const CUSTOMER_ID_BASE = 7_100_000_000;
const ORDER_ID_BASE = 5_100_000_000;
const LINE_ITEM_ID_BASE = 13_100_000_000;
const FIRST_ORDER_NUMBER = 1001;

/** The shape of the shop; the shares are per customer or per order as named. */
const SHAPE = {
  /** Customers who buy again (a few show a single order inside the window). */
  repeatBuyerShare: 0.46,
  /** Median order value of an ordinary customer, in US dollars, and its spread across customers. */
  medianOrderDollars: 55,
  customerValueSigma: 0.5,
  orderValueSigma: 0.4,
  /** Big spenders: their usual basket is a Pareto multiple of the ordinary one. */
  bigSpenderShare: 0.1,
  bigSpenderAlpha: 1.3,
  bigSpenderCap: 40,
  /** Repeat buyers: extra orders beyond the second (mean), cadence in busy days. */
  extraOrdersMean: 10,
  medianCadenceDays: 45,
  /** Repeat buyers whose buying stops (lapsed), and how long they keep buying. */
  stopperShare: 0.35,
  stopperLifetimeDays: 150,
  customerWithoutEmailShare: 0.05,
  duplicateEmailShare: 0.006,
  taggedCustomerShare: 0.3,
  /** Guest orders per customer record, so that about 3% of orders are guest orders. */
  guestOrdersPerCustomer: 0.093,
  testOrderShare: 0.005,
  cancelledOrderShare: 0.02,
  refundedOrderShare: 0.07,
  fullRefundShare: 0.35,
} as const;

const pickLineCount = weightedPicker([[1, 55], [2, 25], [3, 12], [4, 8]] as const);
const pickCatalogueType = weightedPicker(CATALOGUE.map((type) => [type, type.weight] as const));

/** Recent customer emails, for duplicates and for customers checking out as guests. */
const RECENT_EMAILS = 64;

interface ShopState {
  readonly random: Random;
  readonly calendar: BusyCalendar;
  readonly currency: CurrencySpec;
  /** Latest time anything can happen: one second before asOf. */
  readonly lastMs: number;
  nextOrder: number;
  nextLineItem: number;
  readonly recentEmails: string[];
  readonly iso: (ms: number) => string;
}

/**
 * Streams a seeded synthetic shop: one record per customer (with all its orders, oldest first)
 * and now and then a guest order, over the `historyMonths` (default 24) that end at `asOf`. The
 * busy calendar spreads them with the same seasonality and skew whatever the length. The same options give
 * the same records, byte for byte; memory stays flat whatever the number of customers.
 *
 * @example
 * for (const record of generateShop({ seed: 1, customers: 10_000, asOf: new Date('2026-01-01T00:00:00Z') })) {
 *   if (record.kind === 'customer') console.log(record.customer.email, record.orders.length);
 * }
 */
export function* generateShop(options: GenerateShopOptions): Generator<ShopRecord> {
  const { seed, customers, asOf } = options;
  if (!Number.isInteger(customers) || customers < 0) {
    throw new RangeError(`generateShop: customers must be a whole number ≥ 0 (got ${customers})`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`generateShop: seed must be a finite number (got ${seed})`);
  const asOfMs = asOf.getTime();
  if (Number.isNaN(asOfMs)) throw new RangeError('generateShop: asOf is not a valid date');
  const months = options.historyMonths ?? 24;
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`generateShop: historyMonths must be a whole number ≥ 1 (got ${months})`);
  const state: ShopState = {
    random: seededRandom(seed),
    calendar: createBusyCalendar(asOfMs, historyDaysOf(months)),
    currency: currencySpec(options.currencyCode ?? 'USD'),
    lastMs: Math.floor(asOfMs / 1000) * 1000 - 1000,
    nextOrder: 0,
    nextLineItem: 0,
    recentEmails: [],
    iso: createIsoSeconds(),
  };
  for (let index = 0; index < customers; index++) {
    yield customerRecord(state, index);
    if (state.random() < SHAPE.guestOrdersPerCustomer) {
      yield { kind: 'guest-order', order: guestOrder(state, `.guest${index + 1}`) };
    }
  }
}

function customerRecord(state: ShopState, index: number): ShopRecord {
  const { random } = state;
  const id = String(CUSTOMER_ID_BASE + index + 1);
  const person = makePerson(random, String(index + 1));
  const email = customerEmail(state, person.email);
  const tags = random() < SHAPE.taggedCustomerShare ? merchantTags(random) : [];
  const usualOrderDollars = customerOrderDollars(random);
  const times = orderTimes(state);
  const orders: SynthOrder[] = [];
  let lastUpdatedMs = 0;
  for (const processedMs of times) {
    const made = makeOrder(state, processedMs, id, email, usualOrderDollars);
    orders.push(made.order);
    lastUpdatedMs = Math.max(lastUpdatedMs, made.updatedMs);
  }
  const firstProcessedMs = times[0] as number;
  // Most accounts are made at checkout; some signed up well before buying.
  const createdMs =
    random() < 0.7 ? firstProcessedMs - Math.floor(random() * 600) * 1000 : firstProcessedMs - secondsMs(exponential(random, 60 * DAY_MS));
  const customer: SynthCustomer = {
    id,
    email,
    firstName: person.firstName,
    lastName: person.lastName,
    tags,
    createdAt: state.iso(createdMs),
    updatedAt: state.iso(Math.max(lastUpdatedMs, createdMs)),
  };
  return { kind: 'customer', customer, orders };
}

/** A customer's email: usually their own, sometimes none, sometimes one another customer has. */
function customerEmail(state: ShopState, own: string): string | null {
  const { random, recentEmails } = state;
  const draw = random();
  if (draw < SHAPE.customerWithoutEmailShare) return null;
  if (draw < SHAPE.customerWithoutEmailShare + SHAPE.duplicateEmailShare && recentEmails.length > 0) {
    const taken = pickOne(random, recentEmails);
    // Half the duplicates differ only in case, as imported or re-typed addresses do.
    return random() < 0.5 ? taken : taken.charAt(0).toUpperCase() + taken.slice(1);
  }
  if (recentEmails.length < RECENT_EMAILS) recentEmails.push(own);
  else recentEmails[Math.floor(random() * RECENT_EMAILS)] = own;
  return own;
}

/** The customer's usual order value in US dollars: log-normal, with a Pareto tail of big spenders. */
function customerOrderDollars(random: Random): number {
  const ordinary = logNormal(random, Math.log(SHAPE.medianOrderDollars), SHAPE.customerValueSigma);
  if (random() >= SHAPE.bigSpenderShare) return ordinary;
  return ordinary * Math.min(pareto(random, 1.5, SHAPE.bigSpenderAlpha), SHAPE.bigSpenderCap);
}

/**
 * When a customer's orders happen (epoch ms, ascending), placed in busy time for seasonality.
 * A repeat buyer's run of orders is laid out first, then slid to a uniform start that may lie
 * before the window (an older customer) or run past asOf (still buying); only the orders
 * inside the window are kept, so the order volume is flat apart from seasons and growth.
 */
function orderTimes(state: ShopState): number[] {
  const { random, calendar } = state;
  if (random() >= SHAPE.repeatBuyerShare) return [calendar.toMs(random() * calendar.total)];
  const cadence = logNormal(random, Math.log(SHAPE.medianCadenceDays), 0.6);
  const wanted = 2 + Math.floor(exponential(random, SHAPE.extraOrdersMean));
  const lifetime = random() < SHAPE.stopperShare ? cadence + exponential(random, SHAPE.stopperLifetimeDays) : Infinity;
  const offsets = [0];
  let offset = 0;
  while (offsets.length < wanted) {
    offset += cadence * logNormal(random, -0.125, 0.5);
    if (offsets.length >= 2 && offset > lifetime) break;
    offsets.push(offset);
  }
  const start = random() * (calendar.total + offset) - offset;
  const inside = offsets.map((at) => start + at).filter((busy) => busy >= 0 && busy < calendar.total);
  return inside.length > 0 ? inside.map((busy) => calendar.toMs(busy)) : [calendar.toMs(random() * calendar.total)];
}

function guestOrder(state: ShopState, serial: string): SynthOrder {
  const { random, recentEmails } = state;
  const draw = random();
  let email: string | null = null;
  if (draw < 0.7) email = makePerson(random, serial).email;
  else if (draw < 0.9 && recentEmails.length > 0) email = pickOne(random, recentEmails);
  const processedMs = state.calendar.toMs(random() * state.calendar.total);
  return makeOrder(state, processedMs, null, email, customerOrderDollars(random)).order;
}

function makeOrder(
  state: ShopState,
  processedMs: number,
  customerId: string | null,
  email: string | null,
  usualOrderDollars: number,
): { order: SynthOrder; updatedMs: number } {
  const { random, currency } = state;
  const orderDollars = usualOrderDollars * logNormal(random, -0.08, SHAPE.orderValueSigma);
  const lines = makeLines(state, orderDollars);
  const lineMinors = lines.map((line) => line.minor);
  const subtotal = lineMinors.reduce((sum, minor) => sum + minor, 0);
  const shipping = subtotal >= currency.freeShippingFromMinor ? 0 : currency.shippingMinor;
  const tax = Math.round(subtotal * currency.taxRate);
  const total = subtotal + shipping + tax;
  const test = random() < SHAPE.testOrderShare;

  let refunded = 0;
  let cancelledMs: number | null = null;
  let updatedMs = Math.max(processedMs, laterMs(state, processedMs, DAY_MS));
  const outcome = random();
  if (outcome < SHAPE.cancelledOrderShare) {
    cancelledMs = Math.max(processedMs, laterMs(state, processedMs, 6 * 60 * 60 * 1000));
    updatedMs = cancelledMs;
    // Paid then cancelled: refunded in full; otherwise the authorisation was voided.
    if (random() < 0.6) refunded = total;
  } else if (outcome < SHAPE.cancelledOrderShare + SHAPE.refundedOrderShare) {
    refunded = random() < SHAPE.fullRefundShare ? total : partialRefund(random, lineMinors, lines, total);
    updatedMs = Math.max(processedMs, laterMs(state, processedMs, 7 * DAY_MS));
  }

  const orderNumber = state.nextOrder++;
  const processedAt = state.iso(processedMs);
  const order: SynthOrder = {
    id: String(ORDER_ID_BASE + orderNumber + 1),
    name: `#${FIRST_ORDER_NUMBER + orderNumber}`,
    customerId,
    email,
    createdAt: processedAt,
    processedAt,
    updatedAt: state.iso(updatedMs),
    cancelledAt: cancelledMs === null ? null : state.iso(cancelledMs),
    test,
    currencyCode: currency.code,
    subtotalPrice: formatMinor(subtotal, currency.digits),
    totalShipping: formatMinor(shipping, currency.digits),
    totalTax: formatMinor(tax, currency.digits),
    totalPrice: formatMinor(total, currency.digits),
    totalRefunded: formatMinor(refunded, currency.digits),
    currentTotalPrice: formatMinor(total - refunded, currency.digits),
    lines: lines.map((line) => line.line),
  };
  return { order, updatedMs };
}

/** A moment after an order (a minute plus an exponential wait), never past the last second before asOf. */
function laterMs(state: ShopState, processedMs: number, meanMs: number): number {
  return Math.min(processedMs + 60_000 + secondsMs(exponential(state.random, meanMs)), state.lastMs);
}

/** A partial refund: one line's worth when there are several (a returned item), else a share. */
function partialRefund(random: Random, lineMinors: number[], lines: { line: SynthLine }[], total: number): number {
  if (lineMinors.length > 1) return pickOne(random, lineMinors);
  const only = lines[0]?.line;
  if (only && only.quantity > 1) return Math.floor((lineMinors[0] as number) / only.quantity);
  return Math.max(1, Math.floor(total * (0.1 + 0.4 * random())));
}

function makeLines(state: ShopState, orderDollars: number): { line: SynthLine; minor: number }[] {
  const { random, currency } = state;
  const count = pickLineCount(random);
  const types: CatalogueType[] = [];
  const weights: number[] = [];
  for (let i = 0; i < count; i++) {
    types.push(pickCatalogueType(random));
    weights.push(0.4 + random());
  }
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  return types.map((type, i) => {
    const lineDollars = (orderDollars * (weights[i] as number)) / weightSum;
    const quantity = Math.min(6, Math.max(1, Math.round(lineDollars / (type.typicalDollars * 1.5))));
    const unitMinor = pricePoint(lineDollars / quantity, currency);
    const line: SynthLine = {
      id: String(LINE_ITEM_ID_BASE + ++state.nextLineItem),
      title: pickOne(random, type.titles),
      productType: type.productType,
      quantity,
      unitPrice: formatMinor(unitMinor, currency.digits),
    };
    return { line, minor: unitMinor * quantity };
  });
}

/** A shelf price near `dollars` in the shop currency: x.99 for cent currencies, tens of yen for JPY. */
function pricePoint(dollars: number, currency: CurrencySpec): number {
  const local = dollars * currency.perDollar;
  if (currency.digits === 0) return Math.max(100, Math.round(local / 10) * 10);
  const factor = 10 ** currency.digits;
  return Math.max(1, Math.round(local)) * factor - 1;
}

function secondsMs(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
