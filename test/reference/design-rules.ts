/**
 * An independent reference of docs/DESIGN.md's tier and overlay rules with the default settings,
 * written from docs/DESIGN.md alone (not from src/): plain loops over plain arrays, quadratic where
 * that is the most obvious way to count, so that it is easy to check by reading. Tests compare
 * `segment` and `sync` against it customer by customer.
 */

export interface ReferenceOrder {
  readonly customerId: string | null;
  /** Epoch ms UTC. */
  readonly processedAt: number;
  /** Current total after refunds, minor units. */
  readonly totalCents: number;
  readonly cancelled: boolean;
  readonly test: boolean;
}

export interface ReferenceSegment {
  readonly tier: string;
  readonly recency: string;
  readonly rfm: string;
  readonly churnRisk: number;
  readonly atRisk: boolean;
  readonly lapsed: 'high_value' | 'low_value' | null;
  readonly suppressed: boolean;
  readonly reactivationDue: boolean;
}

const DAY = 86_400_000;
/** "LTV and tiers": cumulative shares, top first. */
const TIERS = [
  { id: 'champion', share: 0.01, reactivation: 60 },
  { id: 'vip', share: 0.1, reactivation: 75 },
  { id: 'high_value', share: 0.2, reactivation: 90 },
  { id: 'mid_tier', share: 0.8, reactivation: 120 },
  { id: 'low_value', share: 1, reactivation: 180 },
];
const TOP_20 = ['champion', 'vip', 'high_value'];

/** Every customer with at least one counted order, however old, by customer id. */
export function referenceSegments(orders: readonly ReferenceOrder[], asOf: Date): Map<string, ReferenceSegment> {
  const now = asOf.getTime();
  const ages = new Map<string, number[]>();
  const totals = new Map<string, number[]>();
  for (const order of orders) {
    // "Order facts": tests, cancellations, guests and orders after asOf do not count.
    if (order.test || order.cancelled || order.customerId === null || order.processedAt > now) continue;
    const age = Math.floor((now - order.processedAt) / DAY);
    if (!ages.has(order.customerId)) {
      ages.set(order.customerId, []);
      totals.set(order.customerId, []);
    }
    ages.get(order.customerId)!.push(age);
    totals.get(order.customerId)!.push(order.totalCents);
  }

  const ids = [...ages.keys()];
  const count = (id: string, from: number, to: number) => ages.get(id)!.filter((age) => age >= from && age < to).length;
  const facts = ids.map((id) => {
    const a = ages.get(id)!;
    const t = totals.get(id)!;
    let ltv = 0;
    for (let i = 0; i < a.length; i++) if (a[i]! < 730) ltv += t[i]!;
    return {
      id,
      d: Math.min(...a),
      tenure: Math.max(...a),
      orders: a.length,
      ltv,
      trend: count(id, 0, 180) - count(id, 180, 360),
      improvement: count(id, 0, 365) - count(id, 365, 730),
    };
  });

  const mature = facts.filter((c) => c.tenure >= 90);
  const tierOf = new Map<string, string>();
  for (const c of facts) {
    if (c.tenure < 90) {
      tierOf.set(c.id, 'new');
      continue;
    }
    if (c.ltv === 0) {
      tierOf.set(c.id, 'low_value');
      continue;
    }
    const higher = mature.filter((other) => other.ltv > c.ltv).length;
    const topShare = (higher + 1) / mature.length;
    tierOf.set(c.id, TIERS.find((tier) => tier.share >= topShare)!.id);
  }

  // "RFM overlay": w = customers strictly worse, over every customer with an order.
  const n = facts.length;
  const score = (worse: number) => Math.min(5, 1 + Math.floor((5 * worse) / n));
  const result = new Map<string, ReferenceSegment>();
  for (const c of facts) {
    const r = score(facts.filter((o) => o.d > c.d).length);
    const f = score(facts.filter((o) => o.orders < c.orders).length);
    const m = score(facts.filter((o) => o.ltv < c.ltv).length);
    const tier = tierOf.get(c.id)!;
    const trend = Math.max(-5, Math.min(5, c.trend));
    const improvement = Math.max(-10, Math.min(10, c.improvement));
    const raw = 100 - (1 - Math.min(c.d, 365) / 365) * 50 - (trend / 5) * 30 - (improvement / 10) * 20;
    const churnRisk = Math.max(0, Math.min(100, Math.round(raw)));
    const recency = c.d <= 30 ? 'active' : c.d <= 90 ? 'warm' : c.d <= 180 ? 'cool' : 'cold';
    const isTop = TOP_20.includes(tier);
    const suppressed = c.d > 180 && !isTop;
    const trigger = TIERS.find((t) => t.id === tier)?.reactivation;
    result.set(c.id, {
      tier,
      recency,
      rfm: `${r}${f}${m}`,
      churnRisk,
      atRisk: ((tier === 'champion' || tier === 'vip') && churnRisk > 70) || (tier === 'high_value' && recency === 'active' && c.trend < 0),
      lapsed: c.d > 180 && isTop ? 'high_value' : c.d > 180 && tier === 'low_value' ? 'low_value' : null,
      suppressed,
      reactivationDue: trigger !== undefined && c.d >= trigger && !suppressed,
    });
  }
  return result;
}
