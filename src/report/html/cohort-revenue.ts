import { ageInDays } from '../../core/facts.ts';
import { isCountableOrder, type Order } from '../../core/order.ts';
import { detachString } from '../../util/detach-string.ts';

/** Days after the first order over which cohort revenue is summed. */
export const COHORT_WINDOWS = [90, 180, 365] as const;

export interface CohortWindow {
  readonly days: number;
  /** Customers of the cohort whose first order is at least `days` days old. */
  readonly customers: number;
  /** Their revenue in the first `days` days (age since the first order < days), per customer; null when none qualifies. */
  readonly revenuePerCustomerCents: number | null;
}

export interface CohortRevenue {
  /** First-order month, `YYYY-MM` (UTC). */
  readonly cohort: string;
  readonly customers: number;
  readonly windows: CohortWindow[];
}

/**
 * First-order-month cohorts with their 90/180/365-day revenue per customer. The orders
 * counted follow docs/DESIGN.md "Order facts" (countable, with a customer, at or before asOf).
 * A customer enters a window's average only once the window has fully elapsed for them, so
 * a young cohort is not shown as weaker than it is. Orders arrive in any order, so the
 * builder keeps (customer, time, amount) per order in flat columns until `finish`.
 *
 * @example
 * const cohorts = createCohortRevenue(asOf);
 * orders.forEach(cohorts.add);
 * cohorts.finish(); // [{ cohort: '2025-01', customers: 120, windows: [{ days: 90, ... }, ...] }, ...]
 */
export function createCohortRevenue(asOf: Date) {
  const asOfMs = asOf.getTime();
  const slots = new Map<string, number>();
  const firstAt: number[] = [];
  let size = 0;
  let capacity = 1024;
  let slotOf = new Int32Array(capacity);
  let timeOf = new Float64Array(capacity);
  let centsOf = new Float64Array(capacity);

  function grow(): void {
    capacity *= 2;
    const widen = <T extends Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    slotOf = widen(slotOf, (n) => new Int32Array(n));
    timeOf = widen(timeOf, (n) => new Float64Array(n));
    centsOf = widen(centsOf, (n) => new Float64Array(n));
  }

  return {
    add(order: Order): void {
      if (order.processedAt > asOfMs || !isCountableOrder(order) || order.customerId === null) return;
      let slot = slots.get(order.customerId);
      if (slot === undefined) {
        slot = firstAt.push(order.processedAt) - 1;
        slots.set(detachString(order.customerId), slot);
      } else if (order.processedAt < firstAt[slot]!) {
        firstAt[slot] = order.processedAt;
      }
      if (size === capacity) grow();
      slotOf[size] = slot;
      timeOf[size] = order.processedAt;
      centsOf[size] = order.totalCents;
      size++;
    },
    finish(): CohortRevenue[] {
      const revenue = COHORT_WINDOWS.map(() => new Float64Array(firstAt.length));
      for (let i = 0; i < size; i++) {
        const slot = slotOf[i]!;
        const age = ageInDays(timeOf[i]!, firstAt[slot]!);
        COHORT_WINDOWS.forEach((days, w) => {
          if (age < days) revenue[w]![slot]! += centsOf[i]!;
        });
      }
      const byCohort = new Map<string, { customers: number; eligible: number[]; cents: number[] }>();
      firstAt.forEach((first, slot) => {
        const cohort = new Date(first).toISOString().slice(0, 7);
        let entry = byCohort.get(cohort);
        if (!entry) byCohort.set(cohort, (entry = { customers: 0, eligible: COHORT_WINDOWS.map(() => 0), cents: COHORT_WINDOWS.map(() => 0) }));
        entry.customers++;
        const tenure = ageInDays(asOfMs, first);
        COHORT_WINDOWS.forEach((days, w) => {
          if (tenure < days) return;
          entry.eligible[w]!++;
          entry.cents[w]! += revenue[w]![slot]!;
        });
      });
      return [...byCohort.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([cohort, entry]) => ({
          cohort,
          customers: entry.customers,
          windows: COHORT_WINDOWS.map((days, w) => ({
            days,
            customers: entry.eligible[w]!,
            revenuePerCustomerCents: entry.eligible[w]! > 0 ? Math.round(entry.cents[w]! / entry.eligible[w]!) : null,
          })),
        }));
    },
  };
}
