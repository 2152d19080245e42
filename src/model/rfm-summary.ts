import { DAY_MS, isCountableOrder, type Order } from '../core/order.ts';

/** The time unit of frequency/recency/T: weeks (the CDNOW literature) or days. */
export type TimeUnit = 'week' | 'day';

/** Days in one {@link TimeUnit}. */
export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { week: 7, day: 1 };

/**
 * One customer's calibration-period summary, the input of BG/NBD and Gamma-Gamma.
 * A purchase is a distinct UTC order day (orders on the same day are one purchase, their values
 * summed), as in Fader, Hardie & Lee (2005) and `lifetimes`.
 */
export interface RfmSummary {
  customerId: string;
  /** Repeat purchases: days with an order − 1. */
  frequency: number;
  /** Last order day − first order day, in the time unit. */
  recency: number;
  /** asOf − first order day (start of that UTC day), in the time unit. */
  T: number;
  /** Mean value of the repeat purchase days (the first day excluded), minor units; 0 if none. */
  monetaryValueCents: number;
  /** Holdout purchase days (order days after asOf, up to the holdout end); 0 without a holdout. */
  holdoutPurchases: number;
}

export interface SummarizeOptions {
  timeUnit: TimeUnit;
  /** Count purchase days in (asOf, holdoutEnd] per customer as `holdoutPurchases`. */
  holdoutEnd?: Date;
}

/**
 * Per-customer RFM summaries as of `asOf`, from countable orders (not test, not cancelled) that
 * have a customer id and were processed at or before `asOf`. Sorted by customer id.
 *
 * @example
 * summarizeOrders(orders, new Date('1997-09-30T00:00:00Z'), { timeUnit: 'week' });
 * // [{ customerId: '1', frequency: 2, recency: 30.43, T: 38.86, monetaryValueCents: 2235, holdoutPurchases: 0 }, …]
 */
export function summarizeOrders(orders: Iterable<Order>, asOf: Date, options: SummarizeOptions): RfmSummary[] {
  const summarizer = createOrderSummarizer(asOf, options);
  for (const order of orders) summarizer.add(order);
  return summarizer.finish();
}

/**
 * The streaming form of {@link summarizeOrders}: feed orders one at a time (e.g. as a file
 * reader yields them), then `finish()`. Holds one number per customer order day, not the orders.
 *
 * @example
 * const summarizer = createOrderSummarizer(asOf, { timeUnit: 'day' });
 * await readOrders(path, summarizer.add);
 * const summaries = summarizer.finish();
 */
export function createOrderSummarizer(
  asOf: Date,
  options: SummarizeOptions,
): { add(order: Order): void; finish(): RfmSummary[] } {
  const asOfMs = asOf.getTime();
  const holdoutEndMs = options.holdoutEnd?.getTime() ?? asOfMs;
  // One flat map of (customer, day) → cents instead of a map per customer: a million
  // customers cost one hash table, not a million.
  const slots = new Map<string, number>();
  const ids: string[] = [];
  const calibration = new Map<number, number>();
  const holdout = new Set<number>();
  const add = (order: Order): void => {
    if (!isCountableOrder(order) || order.customerId === null) return;
    const inCalibration = order.processedAt <= asOfMs;
    if (!inCalibration && order.processedAt > holdoutEndMs) return;
    let slot = slots.get(order.customerId);
    if (slot === undefined) {
      slot = ids.push(order.customerId) - 1;
      slots.set(order.customerId, slot);
    }
    const key = dayKey(slot, Math.floor(order.processedAt / DAY_MS));
    if (inCalibration) calibration.set(key, (calibration.get(key) ?? 0) + order.totalCents);
    else holdout.add(key);
  };
  const finish = (): RfmSummary[] => summarizeDays(ids, calibration, holdout, asOfMs, options.timeUnit);
  return { add, finish };
}

/** Day numbers fit in ±2^16 (years 1790–2149); a customer slot takes the bits above. */
const DAY_SPAN = 2 ** 17;
const DAY_OFFSET = 2 ** 16;

function dayKey(slot: number, day: number): number {
  return slot * DAY_SPAN + day + DAY_OFFSET;
}

function summarizeDays(
  ids: readonly string[],
  calibration: ReadonlyMap<number, number>,
  holdout: ReadonlySet<number>,
  asOfMs: number,
  timeUnit: TimeUnit,
): RfmSummary[] {
  const unitMs = DAYS_PER_UNIT[timeUnit] * DAY_MS;
  const n = ids.length;
  const days = new Int32Array(n);
  const firstDay = new Float64Array(n).fill(Infinity);
  const lastDay = new Float64Array(n).fill(-Infinity);
  const totalCents = new Float64Array(n);
  const holdoutPurchases = new Int32Array(n);
  for (const [key, cents] of calibration) {
    const slot = Math.floor(key / DAY_SPAN);
    const day = key - slot * DAY_SPAN - DAY_OFFSET;
    days[slot]!++;
    totalCents[slot]! += cents;
    if (day < firstDay[slot]!) firstDay[slot] = day;
    if (day > lastDay[slot]!) lastDay[slot] = day;
  }
  for (const key of holdout) if (!calibration.has(key)) holdoutPurchases[Math.floor(key / DAY_SPAN)]!++;
  const summaries: RfmSummary[] = [];
  for (let slot = 0; slot < n; slot++) {
    // A customer seen only in the holdout period has no calibration history to summarize.
    if (days[slot] === 0) continue;
    const frequency = days[slot]! - 1;
    const repeatCents = totalCents[slot]! - calibration.get(dayKey(slot, firstDay[slot]!))!;
    summaries.push({
      customerId: ids[slot]!,
      frequency,
      recency: ((lastDay[slot]! - firstDay[slot]!) * DAY_MS) / unitMs,
      T: (asOfMs - firstDay[slot]! * DAY_MS) / unitMs,
      monetaryValueCents: frequency > 0 ? repeatCents / frequency : 0,
      holdoutPurchases: holdoutPurchases[slot]!,
    });
  }
  return summaries.sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
}
