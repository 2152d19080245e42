import { studentTCritical } from './student-t.ts';

/**
 * Lift of the action lists (docs/DESIGN.md "Activation"): per segment at assignment, treated
 * versus held-out customers' orders since their assignment, and a 95% Welch t interval on
 * the difference in revenue per customer. Welch, because the two groups differ tenfold in
 * size and need not share a variance; per-customer revenue is skewed, but with the group
 * sizes a segment needs before we draw an interval (`minGroupCustomers`, default 30) the
 * mean's sampling distribution is close enough to normal for a 95% interval.
 */

export interface LiftGroup {
  readonly customers: number;
  readonly ordering_customers: number;
  readonly orders: number;
  readonly revenue_cents: number;
  readonly revenue_per_customer_cents: number;
  /** Share of the group's customers with at least one order since assignment, 4 decimals. */
  readonly order_rate: number;
}

export interface LiftSegment {
  readonly segment: string;
  readonly treated: LiftGroup;
  readonly holdout: LiftGroup;
  /** Treated minus holdout revenue per customer, cents. */
  readonly revenue_per_customer_diff_cents: number;
  /** The difference over the holdout's revenue per customer, 4 decimals; null when the holdout's is 0. */
  readonly relative_lift: number | null;
  /** 95% Welch t interval on the difference, cents; null when a group is too small for a meaningful one. */
  readonly ci95: [number, number] | null;
  /** The interval excludes 0. */
  readonly significant: boolean;
}

export interface LiftAccumulator {
  /** One assigned customer and what they ordered since assignment. */
  add(segment: string, heldOut: boolean, orders: number, revenueCents: number): void;
  /** Segments in `segmentOrder` first, any others after them alphabetically. */
  finish(segmentOrder: readonly string[], minGroupCustomers: number): LiftSegment[];
}

interface Running {
  customers: number;
  ordering: number;
  orders: number;
  revenue: number;
  mean: number;
  /** Welford's sum of squared deviations: stable where Σx² − n·mean² would cancel. */
  m2: number;
}

/**
 * @example
 * const lift = createLiftAccumulator();
 * lift.add('vip', false, 2, 15_000);
 * lift.add('vip', true, 0, 0);
 * lift.finish(['vip'], 30)[0].revenue_per_customer_diff_cents; // 15000
 */
export function createLiftAccumulator(): LiftAccumulator {
  const bySegment = new Map<string, { treated: Running; holdout: Running }>();
  return {
    add(segment, heldOut, orders, revenueCents) {
      let groups = bySegment.get(segment);
      if (!groups) bySegment.set(segment, (groups = { treated: emptyRunning(), holdout: emptyRunning() }));
      const group = heldOut ? groups.holdout : groups.treated;
      group.customers += 1;
      if (orders > 0) group.ordering += 1;
      group.orders += orders;
      group.revenue += revenueCents;
      const delta = revenueCents - group.mean;
      group.mean += delta / group.customers;
      group.m2 += delta * (revenueCents - group.mean);
    },
    finish(segmentOrder, minGroupCustomers) {
      const known = segmentOrder.filter((segment) => bySegment.has(segment));
      const others = [...bySegment.keys()].filter((segment) => !segmentOrder.includes(segment)).sort();
      return [...known, ...others].map((segment) => liftOf(segment, bySegment.get(segment)!, minGroupCustomers));
    },
  };
}

function emptyRunning(): Running {
  return { customers: 0, ordering: 0, orders: 0, revenue: 0, mean: 0, m2: 0 };
}

function liftOf(segment: string, groups: { treated: Running; holdout: Running }, minGroupCustomers: number): LiftSegment {
  const { treated, holdout } = groups;
  const diff = treated.mean - holdout.mean;
  const ci95 = welchInterval(treated, holdout, Math.max(2, minGroupCustomers));
  return {
    segment,
    treated: summary(treated),
    holdout: summary(holdout),
    revenue_per_customer_diff_cents: Math.round(diff),
    relative_lift: holdout.customers > 0 && holdout.mean > 0 ? round4(diff / holdout.mean) : null,
    ci95,
    significant: ci95 !== null && (ci95[0] > 0 || ci95[1] < 0),
  };
}

function summary(group: Running): LiftGroup {
  return {
    customers: group.customers,
    ordering_customers: group.ordering,
    orders: group.orders,
    revenue_cents: group.revenue,
    revenue_per_customer_cents: group.customers === 0 ? 0 : Math.round(group.revenue / group.customers),
    order_rate: group.customers === 0 ? 0 : round4(group.ordering / group.customers),
  };
}

/** diff ± t(0.975, Welch–Satterthwaite df) × √(s₁²/n₁ + s₂²/n₂), rounded to cents. */
function welchInterval(a: Running, b: Running, minCustomers: number): [number, number] | null {
  if (a.customers < minCustomers || b.customers < minCustomers) return null;
  const va = a.m2 / (a.customers - 1) / a.customers;
  const vb = b.m2 / (b.customers - 1) / b.customers;
  const diff = a.mean - b.mean;
  const se = Math.sqrt(va + vb);
  if (se === 0) return [Math.round(diff), Math.round(diff)];
  const df = (va + vb) ** 2 / (va ** 2 / (a.customers - 1) + vb ** 2 / (b.customers - 1));
  const half = studentTCritical(df, 0.95) * se;
  return [Math.round(diff - half), Math.round(diff + half)];
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
