import type { Config } from '../config/schema.ts';
import { NEW_TIER, topTiers, type CustomerSegment } from './segment.ts';

export interface TierSummary {
  readonly tier: string;
  readonly label: string;
  readonly customers: number;
  readonly ltvCents: number;
  /** Share of the total LTV of all segmented customers (0–1). */
  readonly revenueShare: number;
  readonly averageLtvCents: number;
}

export interface HealthWarning {
  readonly code: 'top_revenue_share' | 'segment_too_small' | 'segment_too_large';
  readonly message: string;
}

export interface SegmentationSummary {
  readonly customers: number;
  readonly matureCustomers: number;
  readonly totalLtvCents: number;
  readonly tiers: TierSummary[];
  readonly recency: Record<string, number>;
  readonly overlays: { atRisk: number; lapsedHighValue: number; lapsedLowValue: number; suppressed: number; reactivationDue: number };
  /** LTV share of the top tiers among mature customers (null when they have no revenue). */
  readonly topRevenueShare: number | null;
  readonly warnings: HealthWarning[];
}

/**
 * Tier sizes, revenue shares, overlay counts and the health checks of docs/DESIGN.md "Health
 * checks" (migration is separate: it needs the previous run).
 *
 * @example
 * const summary = summarize(segments, config);
 * summary.warnings.forEach((w) => console.error(w.message));
 */
export function summarize(segments: Iterable<CustomerSegment> & { readonly length: number }, config: Config): SegmentationSummary {
  const tierIds = [...config.tiers.map((t) => t.id), NEW_TIER];
  const labels = new Map<string, string>([...config.tiers.map((t) => [t.id, t.label] as const), [NEW_TIER, config.new_tier.label]]);
  const counts = new Map(tierIds.map((id) => [id, { customers: 0, ltvCents: 0 }]));
  const recency: Record<string, number> = Object.fromEntries(config.recency_buckets.map((b) => [b.id, 0]));
  const overlays = { atRisk: 0, lapsedHighValue: 0, lapsedLowValue: 0, suppressed: 0, reactivationDue: 0 };
  const top = topTiers(config);
  let totalLtv = 0;
  let matureLtv = 0;
  let topLtv = 0;
  for (const segment of segments) {
    const tier = counts.get(segment.tier)!;
    tier.customers++;
    tier.ltvCents += segment.ltvCents;
    totalLtv += segment.ltvCents;
    if (segment.tier !== NEW_TIER) matureLtv += segment.ltvCents;
    if (top.has(segment.tier)) topLtv += segment.ltvCents;
    recency[segment.recencyBucket] = (recency[segment.recencyBucket] ?? 0) + 1;
    if (segment.atRisk) overlays.atRisk++;
    if (segment.lapsed === 'high_value') overlays.lapsedHighValue++;
    if (segment.lapsed === 'low_value') overlays.lapsedLowValue++;
    if (segment.suppressed) overlays.suppressed++;
    if (segment.reactivationDue) overlays.reactivationDue++;
  }
  const tiers = tierIds.map((id) => {
    const { customers, ltvCents } = counts.get(id)!;
    return {
      tier: id,
      label: labels.get(id)!,
      customers,
      ltvCents,
      revenueShare: totalLtv > 0 ? ltvCents / totalLtv : 0,
      averageLtvCents: customers > 0 ? Math.round(ltvCents / customers) : 0,
    };
  });
  const topRevenueShare = matureLtv > 0 ? topLtv / matureLtv : null;
  const matureCustomers = segments.length - counts.get(NEW_TIER)!.customers;
  return {
    customers: segments.length,
    matureCustomers,
    totalLtvCents: totalLtv,
    tiers,
    recency,
    overlays,
    topRevenueShare,
    warnings: healthWarnings(tiers, topRevenueShare, segments.length, config),
  };
}

function healthWarnings(tiers: readonly TierSummary[], topRevenueShare: number | null, total: number, config: Config): HealthWarning[] {
  const { top_revenue_share_min: min, top_revenue_share_max: max, min_segment_size, max_segment_share } = config.health;
  const warnings: HealthWarning[] = [];
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  if (topRevenueShare !== null && (topRevenueShare < min || topRevenueShare > max)) {
    warnings.push({
      code: 'top_revenue_share',
      message: `the top ${percent(config.top_tiers_share)} of customers hold ${percent(topRevenueShare)} of revenue, outside the healthy ${percent(min)}–${percent(max)}: consider recalibrating the tier shares`,
    });
  }
  if (total === 0) return warnings;
  // New customers are not a percentile segment: their count follows acquisition, not config.
  for (const tier of tiers.filter((t) => t.tier !== NEW_TIER)) {
    if (tier.customers < min_segment_size) {
      warnings.push({
        code: 'segment_too_small',
        message: `${tier.label} has ${tier.customers} customers (under ${min_segment_size}): too small to act on; consider recalibrating the tier shares`,
      });
    } else if (tier.customers / total > max_segment_share) {
      warnings.push({
        code: 'segment_too_large',
        message: `${tier.label} holds ${percent(tier.customers / total)} of customers (over ${percent(max_segment_share)}): consider splitting it`,
      });
    }
  }
  return warnings;
}
