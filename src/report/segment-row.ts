import type { CustomerSegment } from '../core/segment.ts';

/** Column order of `tiersync segment` output (CSV header and JSONL key order). */
export const SEGMENT_COLUMNS = [
  'customer_id', 'email', 'tier', 'ltv_cents', 'top_share', 'orders', 'aov_cents', 'days_since_last',
  'recency_bucket', 'r', 'f', 'm', 'rfm', 'churn_risk', 'at_risk', 'lapsed', 'suppressed',
  'reactivation_due', 'cohort', 'cohort_percentile', 'historical_ltv_cents', 'revenue_cents',
  'orders_365', 'tenure_days', 'first_order_at', 'last_order_at', 'top_category',
  'predicted_clv_cents', 'p_alive', 'expected_orders_365', 'rfm_segment', 'frequency_trend',
] as const;

export type SegmentRow = Record<(typeof SEGMENT_COLUMNS)[number], string | number | boolean | null>;

/**
 * One output row: numbers as numbers, flags as booleans, `lapsed` as null / "high_value" /
 * "low_value", times as ISO 8601.
 *
 * @example
 * JSON.stringify(toSegmentRow(segment))
 */
export function toSegmentRow(s: CustomerSegment): SegmentRow {
  return {
    customer_id: s.customerId,
    email: s.email,
    tier: s.tier,
    ltv_cents: s.ltvCents,
    top_share: s.topShare === null ? null : round(s.topShare, 6),
    orders: s.orders,
    aov_cents: s.aovCents,
    days_since_last: s.daysSinceLast,
    recency_bucket: s.recencyBucket,
    r: s.r,
    f: s.f,
    m: s.m,
    rfm: s.rfm,
    churn_risk: s.churnRisk,
    at_risk: s.atRisk,
    lapsed: s.lapsed,
    suppressed: s.suppressed,
    reactivation_due: s.reactivationDue,
    cohort: s.cohort,
    cohort_percentile: s.cohortPercentile,
    historical_ltv_cents: s.historicalLtvCents,
    revenue_cents: s.revenueCents,
    orders_365: s.ordersLast365,
    tenure_days: s.tenureDays,
    first_order_at: new Date(s.firstOrderAt).toISOString(),
    last_order_at: new Date(s.lastOrderAt).toISOString(),
    top_category: s.topCategory,
    predicted_clv_cents: s.predictedClvCents,
    p_alive: s.pAlive === null ? null : round(s.pAlive, 6),
    expected_orders_365: s.expectedOrders365 === null ? null : round(s.expectedOrders365, 6),
    rfm_segment: s.rfmSegment,
    frequency_trend: s.frequencyTrend,
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
