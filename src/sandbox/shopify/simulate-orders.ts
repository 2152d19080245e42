/**
 * `POST /__sandbox/simulate` {"orders": N}: the shop moves on. N new orders processed now for
 * existing customers, drawn with a weight that favours recent buyers, with a few refunds and
 * cancellations, so that a demo, a test or a user can watch migration, holdouts and lift move.
 * Seeded: the same shop and the same sequence of calls give the same orders.
 */
import { z } from 'zod';
import { parseMoneyToMinorUnits } from '../../core/money.ts';
import { DAY_MS } from '../../core/order.ts';
import { CATALOGUE } from '../../synth/catalogue.ts';
import { currencySpec, formatMinor } from '../../synth/currency.ts';
import { weightedPicker } from '../../synth/distributions.ts';
import type { SynthLine, SynthOrder } from '../../synth/types.ts';
import { applyOrderChange, type ShopStore } from './shop-store.ts';

/** At most this many orders a call, to keep one request short. */
export const MAX_SIMULATED_ORDERS = 100_000;
/** Shares of the simulated orders partly refunded and cancelled (refunded in full). */
const REFUND_SHARE = 0.05;
const CANCEL_SHARE = 0.03;
/** Ids far above the generated shop's (5,100,000,001… orders, 6… lines). */
const ORDER_ID_BASE = 9_800_000_000;
const LINE_ID_BASE = 9_900_000_000;

export const simulateRequestSchema = z.strictObject({
  orders: z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(MAX_SIMULATED_ORDERS, `must be ≤ ${MAX_SIMULATED_ORDERS}`),
});

export interface SimulateResult {
  orders: number;
  refunded: number;
  cancelled: number;
  /** Numeric legacy ids of the new orders, in creation order. */
  order_ids: string[];
}

export interface OrderSimulator {
  simulate(count: number): SimulateResult;
  /** Back to the first call's sequence (the sandbox's reset). */
  reset(): void;
}

const pickType = weightedPicker(CATALOGUE.map((type) => [type, type.weight] as const));

/**
 * @example
 * const simulator = createOrderSimulator(store, seededRandom(7), Date.now);
 * simulator.simulate(100).orders; // 100
 */
export function createOrderSimulator(store: ShopStore, newRandom: () => () => number, now: () => number): OrderSimulator {
  let random = newRandom();
  let sequence = 0;
  return {
    simulate(count) {
      const nowMs = now();
      const nowIso = new Date(nowMs).toISOString();
      const pickCustomer = customerPicker(store, nowMs);
      if (!pickCustomer) throw new Error('the shop has no customers to simulate orders for');
      const currency = currencySpec(store.currencyCode);
      const result: SimulateResult = { orders: 0, refunded: 0, cancelled: 0, order_ids: [] };
      for (let i = 0; i < count; i++) {
        const customer = pickCustomer(random);
        sequence += 1;
        let order = newOrder(sequence, customer, currency, random, nowIso);
        while (store.order(order.id)) order = newOrder(++sequence, customer, currency, random, nowIso);
        const outcome = random();
        let stored: SynthOrder = order;
        if (outcome < CANCEL_SHARE) {
          stored = applyOrderChange(order, { cancel: true, refund: order.totalPrice }, nowIso);
          result.cancelled += 1;
        } else if (outcome < CANCEL_SHARE + REFUND_SHARE) {
          const total = parseMoneyToMinorUnits(order.totalPrice, order.currencyCode)!;
          const refund = Math.max(1, Math.round(total * (0.2 + 0.6 * random())));
          stored = applyOrderChange(order, { refund: formatMinor(refund, currency.digits) }, nowIso);
          result.refunded += 1;
        }
        store.putOrder(stored);
        result.orders += 1;
        result.order_ids.push(stored.id);
      }
      return result;
    },
    reset() {
      random = newRandom();
      sequence = 0;
    },
  };
}

/**
 * Customers weighted by how recently they last ordered: 1 / (1 + days since / 30), so a
 * customer who ordered this week is about eight times as likely as one idle for nine months.
 */
function customerPicker(store: ShopStore, nowMs: number) {
  const entries: (readonly [{ id: string; email: string | null }, number])[] = [];
  for (const customer of store.customers()) {
    let last = Number.NEGATIVE_INFINITY;
    for (const id of customer.orderIds) {
      const order = store.order(id);
      if (order) last = Math.max(last, Date.parse(order.processedAt));
    }
    const days = Number.isFinite(last) ? Math.max(0, (nowMs - last) / DAY_MS) : 365;
    entries.push([{ id: customer.id, email: customer.email }, 1 / (1 + days / 30)] as const);
  }
  return entries.length === 0 ? null : weightedPicker(entries);
}

function newOrder(
  sequence: number,
  customer: { id: string; email: string | null },
  currency: ReturnType<typeof currencySpec>,
  random: () => number,
  nowIso: string,
): SynthOrder {
  const lineCount = 1 + Math.floor(random() * 3);
  const lines: SynthLine[] = [];
  let subtotal = 0;
  for (let i = 0; i < lineCount; i++) {
    const type = pickType(random);
    const quantity = 1 + Math.floor(random() * 2);
    const unitMinor = Math.max(1, Math.round(type.typicalDollars * currency.perDollar * (0.7 + 0.6 * random()) * 10 ** currency.digits));
    subtotal += unitMinor * quantity;
    lines.push({
      id: String(LINE_ID_BASE + sequence * 4 + i),
      title: type.titles[Math.floor(random() * type.titles.length)]!,
      productType: type.productType,
      quantity,
      unitPrice: formatMinor(unitMinor, currency.digits),
    });
  }
  const shipping = subtotal >= currency.freeShippingFromMinor ? 0 : currency.shippingMinor;
  const tax = Math.round(subtotal * currency.taxRate);
  const total = subtotal + shipping + tax;
  return {
    id: String(ORDER_ID_BASE + sequence),
    name: `#S${sequence}`,
    customerId: customer.id,
    email: customer.email,
    createdAt: nowIso,
    processedAt: nowIso,
    updatedAt: nowIso,
    cancelledAt: null,
    test: false,
    currencyCode: currency.code,
    subtotalPrice: formatMinor(subtotal, currency.digits),
    totalShipping: formatMinor(shipping, currency.digits),
    totalTax: formatMinor(tax, currency.digits),
    totalPrice: formatMinor(total, currency.digits),
    totalRefunded: formatMinor(0, currency.digits),
    currentTotalPrice: formatMinor(total, currency.digits),
    lines,
  };
}
