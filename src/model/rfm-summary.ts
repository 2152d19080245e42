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
  const slots = new Map<string, number>();
  const ids: string[] = [];
  const days = createSlotSummarizer(asOf, options);
  const add = (order: Order): void => {
    if (!isCountableOrder(order) || order.customerId === null) return;
    const inCalibration = order.processedAt <= asOfMs;
    if (!inCalibration && order.processedAt > holdoutEndMs) return;
    let slot = slots.get(order.customerId);
    if (slot === undefined) {
      slot = ids.push(order.customerId) - 1;
      slots.set(order.customerId, slot);
    }
    if (inCalibration) days.addPurchase(slot, order.processedAt, order.totalCents);
    else days.addHoldout(slot, order.processedAt);
  };
  const finish = (): RfmSummary[] => {
    const columns = days.finish(ids.length);
    const summaries: RfmSummary[] = [];
    for (let slot = 0; slot < ids.length; slot++) {
      // A customer seen only in the holdout period has no calibration history to summarize.
      if (!columns.hasHistory[slot]) continue;
      summaries.push({
        customerId: ids[slot]!,
        frequency: columns.frequency[slot]!,
        recency: columns.recency[slot]!,
        T: columns.T[slot]!,
        monetaryValueCents: columns.monetaryValueCents[slot]!,
        holdoutPurchases: columns.holdoutPurchases[slot]!,
      });
    }
    return summaries.sort((x, y) => (x.customerId < y.customerId ? -1 : x.customerId > y.customerId ? 1 : 0));
  };
  return { add, finish };
}

/** {@link RfmSummary}'s numbers as columns, one position per customer slot. */
export interface RfmColumns {
  readonly length: number;
  /** 1 when the slot has a calibration purchase (only those have a summary). */
  readonly hasHistory: Uint8Array;
  readonly frequency: Int32Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetaryValueCents: Float64Array;
  readonly holdoutPurchases: Int32Array;
}

/**
 * The summaries of customers the caller has already numbered (slots 0, 1, 2, …, e.g. the facts
 * builder's), fed one purchase at a time: the caller decides which orders count (countable,
 * a customer, at or before asOf for `addPurchase`). Holds one number per customer order day.
 *
 * @example
 * const days = createSlotSummarizer(asOf, { timeUnit: 'week' });
 * days.addPurchase(0, order.processedAt, order.totalCents);
 * days.finish(1).frequency[0];
 */
export function createSlotSummarizer(asOf: Date, options: Pick<SummarizeOptions, 'timeUnit'>) {
  const asOfMs = asOf.getTime();
  // Flat per-customer columns and one growable list of (customer, day) keys, sorted once at the
  // end to count distinct days: a million customers cost a few buffers, no per-customer maps.
  const perSlot = new Columns();
  const calibrationKeys = new KeyList();
  const holdoutKeys = new KeyList();
  return {
    addPurchase(slot: number, processedAt: number, totalCents: number): void {
      perSlot.reach(slot);
      const day = Math.floor(processedAt / DAY_MS);
      calibrationKeys.push(dayKey(slot, day));
      perSlot.addPurchase(slot, day, totalCents);
    },
    addHoldout(slot: number, processedAt: number): void {
      perSlot.reach(slot);
      holdoutKeys.push(dayKey(slot, Math.floor(processedAt / DAY_MS)));
    },
    /** The columns of slots 0 … size − 1. */
    finish(size: number): RfmColumns {
      perSlot.reach(size - 1);
      return summarizeDays(size, perSlot, calibrationKeys.sorted(), holdoutKeys.sorted(), asOfMs, options.timeUnit);
    },
  };
}

/** (customer slot, day) as one exact double: day numbers fit in ±2^16 (years 1790–2149). */
const DAY_SPAN = 2 ** 17;
const DAY_OFFSET = 2 ** 16;

function dayKey(slot: number, day: number): number {
  return slot * DAY_SPAN + day + DAY_OFFSET;
}

function keySlot(key: number): number {
  return Math.floor(key / DAY_SPAN);
}

/** A growable Float64Array of keys. */
class KeyList {
  private keys = new Float64Array(1024);
  private size = 0;

  push(key: number): void {
    if (this.size === this.keys.length) {
      const next = new Float64Array(this.keys.length * 2);
      next.set(this.keys);
      this.keys = next;
    }
    this.keys[this.size++] = key;
  }

  /** The keys in ascending order (a numeric sort of the typed array, no comparator). */
  sorted(): Float64Array {
    return this.keys.subarray(0, this.size).sort();
  }
}

/** Per customer: first and last purchase day, the first day's value and the total value. */
class Columns {
  size = 0;
  firstDay = new Float64Array(1024);
  lastDay = new Float64Array(1024);
  firstDayCents = new Float64Array(1024);
  totalCents = new Float64Array(1024);

  /** Makes slots up to `slot` exist. */
  reach(slot: number): void {
    while (this.size <= slot) this.add();
  }

  private add(): void {
    if (this.size === this.firstDay.length) {
      for (const name of ['firstDay', 'lastDay', 'firstDayCents', 'totalCents'] as const) {
        const next = new Float64Array(this[name].length * 2);
        next.set(this[name]);
        this[name] = next;
      }
    }
    const slot = this.size++;
    this.firstDay[slot] = Infinity;
    this.lastDay[slot] = -Infinity;
  }

  addPurchase(slot: number, day: number, cents: number): void {
    this.totalCents[slot]! += cents;
    if (day < this.firstDay[slot]!) {
      this.firstDay[slot] = day;
      this.firstDayCents[slot] = cents;
    } else if (day === this.firstDay[slot]) {
      this.firstDayCents[slot]! += cents;
    }
    if (day > this.lastDay[slot]!) this.lastDay[slot] = day;
  }
}

function summarizeDays(
  n: number,
  perSlot: Columns,
  calibration: Float64Array,
  holdout: Float64Array,
  asOfMs: number,
  timeUnit: TimeUnit,
): RfmColumns {
  const unitMs = DAYS_PER_UNIT[timeUnit] * DAY_MS;
  const days = new Int32Array(n);
  for (let i = 0; i < calibration.length; i++) if (i === 0 || calibration[i] !== calibration[i - 1]) days[keySlot(calibration[i]!)]!++;
  // A holdout day counts unless the customer already bought that day in calibration (asOf's own day).
  const holdoutPurchases = new Int32Array(n);
  for (let i = 0, c = 0; i < holdout.length; i++) {
    const key = holdout[i]!;
    if (i > 0 && key === holdout[i - 1]) continue;
    while (c < calibration.length && calibration[c]! < key) c++;
    if (calibration[c] !== key) holdoutPurchases[keySlot(key)]!++;
  }
  const columns = {
    length: n,
    hasHistory: new Uint8Array(n),
    frequency: new Int32Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValueCents: new Float64Array(n),
    holdoutPurchases,
  };
  for (let slot = 0; slot < n; slot++) {
    if (days[slot] === 0) continue;
    const frequency = days[slot]! - 1;
    const repeatCents = perSlot.totalCents[slot]! - perSlot.firstDayCents[slot]!;
    columns.hasHistory[slot] = 1;
    columns.frequency[slot] = frequency;
    columns.recency[slot] = ((perSlot.lastDay[slot]! - perSlot.firstDay[slot]!) * DAY_MS) / unitMs;
    columns.T[slot] = (asOfMs - perSlot.firstDay[slot]! * DAY_MS) / unitMs;
    columns.monetaryValueCents[slot] = frequency > 0 ? repeatCents / frequency : 0;
  }
  return columns;
}
