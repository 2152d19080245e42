import { buildPlaybook, type PlaybookRow } from '../../activation/playbook.ts';
import type { Config } from '../../config/schema.ts';
import { createCurrencyTally } from '../../core/currency.ts';
import type { OrderCounts } from '../../core/facts.ts';
import type { Order } from '../../core/order.ts';
import { createSegmentationRun } from '../../core/run-segmentation.ts';
import type { ModelFits } from '../../model/predict-customers.ts';
import { RFM_SEGMENTS } from '../../core/overlays.ts';
import type { LiftReadout } from '../lift-readout.ts';
import { NEW_TIER, type CustomerSegment } from '../../core/segment.ts';
import { summarize, type SegmentationSummary } from '../../core/summary.ts';
import type { Point } from './charts.ts';
import { churnHistogram, paretoPoints, recencyByTier, rfCounts, rfmSegmentsByTier } from './chart-data.ts';
import { createCohortRevenue, type CohortRevenue } from './cohort-revenue.ts';
import type { MigrationWindow } from './migration-windows.ts';

export interface TierRef {
  readonly id: string;
  readonly label: string;
}

/** Everything the HTML report shows, computed; rendering only lays it out. */
export interface ReportModel {
  readonly shop: string | null;
  /** Where the orders came from, e.g. "store .tiersync/acme.db, run 12". */
  readonly source: string;
  readonly asOf: number;
  readonly currency: string;
  readonly tiers: TierRef[];
  readonly summary: SegmentationSummary;
  readonly counts: OrderCounts;
  readonly pareto: {
    readonly points: Point[];
    /** The "top 20%" cut and the healthy revenue-share band for it. */
    readonly topShare: number;
    readonly band: readonly [number, number];
    readonly matureCustomers: number;
  };
  readonly recency: { readonly buckets: string[]; readonly counts: number[][] };
  /** rf[r − 1][f − 1]. */
  readonly rf: number[][];
  /** Customers by named RFM segment (rows, core/overlays.ts order) and tier (columns, `tiers` order). */
  readonly rfmSegments: { readonly names: readonly string[]; readonly counts: number[][] };
  /** Treated against holdout (a store with assignments), with the group size below which no interval is drawn. */
  readonly lift: { readonly readout: LiftReadout; readonly minCustomers: number } | null;
  readonly cohorts: CohortRevenue[];
  readonly churn: { readonly tiers: TierRef[]; readonly counts: number[][]; readonly threshold: number };
  readonly migrations: MigrationWindow[];
  readonly health: Config['health'];
  /** Null when the report was made from an orders file (no Shopify customers read). */
  readonly shopify: ShopifyComparison | null;
  /** The master playbook per segment (live sizes not checked in the report). */
  readonly playbook: PlaybookRow[];
}

export interface CollectedOrders {
  readonly segments: CustomerSegment[];
  readonly counts: OrderCounts;
  readonly cohorts: CohortRevenue[];
  /** The shop's currency (core/currency.ts), or null when no order names one. */
  readonly currency: string | null;
}

/**
 * Feeds each order to the segmentation, the cohort revenue windows and a currency tally in one
 * pass. `reuseFits`: the model parameters the syncs use (stored), so that the report's tiers
 * match what was applied.
 *
 * @example
 * const collector = createReportCollector(config, asOf);
 * for (const order of store.orders.iterateOrders()) collector.add(order);
 * const { segments, cohorts } = collector.finish();
 */
export function createReportCollector(config: Config, asOf: Date, options: { reuseFits?: ModelFits } = {}) {
  const run = createSegmentationRun(config, asOf, options);
  const cohorts = createCohortRevenue(asOf);
  const currencies = createCurrencyTally();
  return {
    add(order: Order): void {
      run.add(order);
      cohorts.add(order);
      currencies.add(order.currency);
    },
    finish(): CollectedOrders {
      const { segments, counts } = run.finish();
      return { segments, counts, cohorts: cohorts.finish(), currency: currencies.dominant() };
    },
  };
}

export interface ReportContext {
  readonly config: Config;
  readonly asOf: Date;
  readonly currency: string;
  readonly shop: string | null;
  readonly source: string;
  readonly migrations: MigrationWindow[];
  /** Shopify's own `predictedSpendTier` per customer id, when the report reads a store. */
  readonly shopifySpendTiers?: ReadonlyMap<string, string | null>;
  /** The store's lift readout, when customers have been assigned to holdouts. */
  readonly lift?: LiftReadout | null;
}

/** Our tiers against Shopify's own predicted spend tier, customers counted in each pair. */
export interface ShopifyComparison {
  readonly spendTiers: string[];
  /** counts[tier index][spend tier index]. */
  readonly counts: number[][];
}

/** Spend tier column for customers Shopify gives none. */
export const NO_SPEND_TIER = '(none)';

/**
 * Cross-counts our tier with Shopify's `predictedSpendTier` (docs/DESIGN.md: kept beside ours for
 * comparison). Columns: Shopify's tiers in its order (HIGH, MEDIUM, LOW), then any other, then none.
 *
 * @example
 * compareWithShopify(segments, tiers, new Map([['gid://shopify/Customer/1', 'HIGH']]))
 */
export function compareWithShopify(
  segments: readonly Pick<CustomerSegment, 'customerId' | 'tier'>[],
  tiers: readonly TierRef[],
  spendTiers: ReadonlyMap<string, string | null>,
): ShopifyComparison {
  const known = ['HIGH', 'MEDIUM', 'LOW'];
  const seen = new Set<string>();
  for (const segment of segments) seen.add(spendTiers.get(segment.customerId) ?? NO_SPEND_TIER);
  const others = [...seen].filter((t) => !known.includes(t) && t !== NO_SPEND_TIER).sort();
  const columns = [...known.filter((t) => seen.has(t)), ...others, ...(seen.has(NO_SPEND_TIER) ? [NO_SPEND_TIER] : [])];
  const row = new Map(tiers.map((tier, index) => [tier.id, index]));
  const column = new Map(columns.map((t, index) => [t, index]));
  const counts = tiers.map(() => columns.map(() => 0));
  for (const segment of segments) {
    const r = row.get(segment.tier);
    if (r !== undefined) counts[r]![column.get(spendTiers.get(segment.customerId) ?? NO_SPEND_TIER)!]!++;
  }
  return { spendTiers: columns, counts };
}

/**
 * The report's figures from the collected orders and the migration windows.
 *
 * @example
 * const model = buildReportModel(collector.finish(), { config, asOf, currency: 'USD', shop: 'acme', source: 'orders.csv', migrations: [] });
 */
export function buildReportModel(collected: CollectedOrders, context: ReportContext): ReportModel {
  const { config } = context;
  const { segments } = collected;
  const tiers = [...config.tiers.map(({ id, label }) => ({ id, label })), { id: NEW_TIER, label: config.new_tier.label }];
  const buckets = config.recency_buckets.map((bucket) => bucket.id);
  const labelOf = new Map(tiers.map((tier) => [tier.id, tier.label]));
  const churnTiers = config.churn.at_risk_tiers.map((id) => ({ id, label: labelOf.get(id) ?? id }));
  const mature = segments.filter((segment) => segment.tier !== NEW_TIER);
  return {
    shop: context.shop,
    source: context.source,
    asOf: context.asOf.getTime(),
    currency: context.currency,
    tiers,
    summary: summarize(segments, config),
    counts: collected.counts,
    pareto: {
      points: paretoPoints(mature.map((segment) => segment.ltvCents)),
      topShare: config.top_tiers_share,
      band: [config.health.top_revenue_share_min, config.health.top_revenue_share_max],
      matureCustomers: mature.length,
    },
    recency: { buckets, counts: recencyByTier(segments, tiers.map((tier) => tier.id), buckets) },
    rf: rfCounts(segments),
    rfmSegments: { names: RFM_SEGMENTS, counts: rfmSegmentsByTier(segments, tiers.map((tier) => tier.id)) },
    lift: context.lift ? { readout: context.lift, minCustomers: config.holdout.lift_min_customers } : null,
    cohorts: collected.cohorts,
    churn: { tiers: churnTiers, counts: churnHistogram(segments, churnTiers.map((tier) => tier.id)), threshold: config.churn.at_risk_threshold },
    migrations: context.migrations,
    health: config.health,
    shopify: context.shopifySpendTiers ? compareWithShopify(segments, tiers, context.shopifySpendTiers) : null,
    playbook: buildPlaybook({ segments, config, live: null }),
  };
}
