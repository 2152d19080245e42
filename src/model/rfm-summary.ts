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
  const calibrationDays = new Map<string, Map<number, number>>();
  const holdoutDays = new Map<string, Set<number>>();
  const add = (order: Order): void => {
    if (!isCountableOrder(order) || order.customerId === null) return;
    const day = Math.floor(order.processedAt / DAY_MS);
    if (order.processedAt <= asOfMs) {
      let days = calibrationDays.get(order.customerId);
      if (days === undefined) calibrationDays.set(order.customerId, (days = new Map()));
      days.set(day, (days.get(day) ?? 0) + order.totalCents);
    } else if (order.processedAt <= holdoutEndMs) {
      let days = holdoutDays.get(order.customerId);
      if (days === undefined) holdoutDays.set(order.customerId, (days = new Set()));
      days.add(day);
    }
  };
  const finish = (): RfmSummary[] => summarizeDays(calibrationDays, holdoutDays, asOfMs, options.timeUnit);
  return { add, finish };
}

function summarizeDays(
  calibrationDays: Map<string, Map<number, number>>,
  holdoutDays: Map<string, Set<number>>,
  asOfMs: number,
  timeUnit: TimeUnit,
): RfmSummary[] {
  const unitMs = DAYS_PER_UNIT[timeUnit] * DAY_MS;
  const summaries: RfmSummary[] = [];
  for (const [customerId, days] of calibrationDays) {
    const sortedDays = [...days.keys()].sort((x, y) => x - y);
    const firstDay = sortedDays[0]!;
    const lastDay = sortedDays[sortedDays.length - 1]!;
    let repeatCents = 0;
    for (let i = 1; i < sortedDays.length; i++) repeatCents += days.get(sortedDays[i]!)!;
    const frequency = sortedDays.length - 1;
    let holdoutPurchases = 0;
    for (const day of holdoutDays.get(customerId) ?? []) if (!days.has(day)) holdoutPurchases++;
    summaries.push({
      customerId,
      frequency,
      recency: ((lastDay - firstDay) * DAY_MS) / unitMs,
      T: (asOfMs - firstDay * DAY_MS) / unitMs,
      monetaryValueCents: frequency > 0 ? repeatCents / frequency : 0,
      holdoutPurchases,
    });
  }
  return summaries.sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
}
