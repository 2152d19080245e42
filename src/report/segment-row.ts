import type { SegmentColumns } from '../core/segment-columns.ts';
import type { CustomerSegment } from '../core/segment.ts';
import { csvField } from '../util/csv-row.ts';

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

/**
 * The CSV line of each position of segment columns, byte for byte the line of its
 * {@link toSegmentRow} (null empty, text quoted as csvField quotes it), made from the columns
 * without a row object: the few distinct texts (tiers, buckets, cohorts, …) are quoted once.
 *
 * @example
 * const line = segmentCsvLines(columns);
 * out.write(line(0));
 */
export function segmentCsvLines(columns: SegmentColumns): (index: number) => string {
  const { customerId, email, strings, text, numbers, flags } = columns.data;
  const cells = strings.map((value) => (value === null ? '' : csvField(value)));
  const nullable = (value: number, digits: number) => (Number.isNaN(value) ? '' : `${round(value, digits)}`);
  const whole = (value: number) => (Number.isNaN(value) ? '' : `${value}`);
  const n = numbers;
  return (index) => {
    const i = columns.source(index);
    const flag = flags[i]!;
    const mail = email[i]!;
    return (
      `${csvField(customerId[i]!)},${mail === null ? '' : csvField(mail)},${cells[text.tier[i]!]},${n.ltvCents[i]},${nullable(n.topShare[i]!, 6)},` +
      `${n.orders[i]},${n.aovCents[i]},${n.daysSinceLast[i]},${cells[text.recencyBucket[i]!]},${n.r[i]},${n.f[i]},${n.m[i]},${cells[text.rfm[i]!]},` +
      `${n.churnRisk[i]},${(flag & 1) !== 0},${cells[text.lapsed[i]!]},${(flag & 2) !== 0},${(flag & 4) !== 0},${cells[text.cohort[i]!]},` +
      `${n.cohortPercentile[i]},${n.historicalLtvCents[i]},${n.revenueCents[i]},${n.ordersLast365[i]},${n.tenureDays[i]},` +
      `${new Date(n.firstOrderAt[i]!).toISOString()},${new Date(n.lastOrderAt[i]!).toISOString()},${cells[text.topCategory[i]!]},` +
      `${whole(n.predictedClvCents[i]!)},${nullable(n.pAlive[i]!, 6)},${nullable(n.expectedOrders365[i]!, 6)},` +
      `${cells[text.rfmSegment[i]!]},${cells[text.frequencyTrend[i]!]}\n`
    );
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
