import type { Config, TierConfig } from '../config/schema.ts';
import { factsToColumns, type CustomerFacts, type FactsColumns } from './facts.ts';
import { frequencyTrendOf, rfmSegmentOf, type FrequencyTrend, type RfmSegmentName } from './overlays.ts';
import { countStrictlyBetter, countStrictlyWorse, median } from './rank.ts';
import { segmentColumnsOf, StringTable, type SegmentColumns } from './segment-columns.ts';

export const NEW_TIER = 'new';
export type Lapsed = 'high_value' | 'low_value' | null;

/** Model outputs per customer (issue 6), when the predictive model ran. */
export interface Prediction {
  readonly expectedOrders365: number;
  readonly pAlive: number;
  readonly expectedOrderValueCents: number;
  readonly predictedClvCents: number;
}

/** One customer's tier and overlays: the desired state tiersync pushes. */
export interface CustomerSegment {
  readonly customerId: string;
  readonly email: string | null;
  /** A configured tier id, or `new`. */
  readonly tier: string;
  /** The value tiers are ranked on (historical, predicted or total CLV per `ltv.model`). */
  readonly ltvCents: number;
  readonly historicalLtvCents: number;
  readonly predictedClvCents: number | null;
  readonly pAlive: number | null;
  readonly expectedOrders365: number | null;
  /** (rank + 1) / mature customers; null for `new` customers, who are not ranked. */
  readonly topShare: number | null;
  readonly orders: number;
  readonly ordersLast365: number;
  readonly revenueCents: number;
  readonly aovCents: number;
  readonly firstOrderAt: number;
  readonly lastOrderAt: number;
  readonly daysSinceLast: number;
  readonly tenureDays: number;
  readonly recencyBucket: string;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly rfm: string;
  /** The named RFM segment of R and F (docs/DESIGN.md "Activation"). */
  readonly rfmSegment: RfmSegmentName;
  /** From the 180-day order trend. */
  readonly frequencyTrend: FrequencyTrend;
  readonly churnRisk: number;
  readonly atRisk: boolean;
  readonly lapsed: Lapsed;
  readonly suppressed: boolean;
  readonly reactivationDue: boolean;
  readonly cohort: string;
  /** 100 × (cohort size − customers of the cohort with a strictly higher LTV) / cohort size. */
  readonly cohortPercentile: number;
  readonly topCategory: string | null;
}

/**
 * Tiers and RFM overlays for every customer (docs/DESIGN.md "LTV and tiers", "RFM overlay"),
 * as objects: {@link segmentColumns} on the facts given (tests, small inputs).
 *
 * @example
 * const segments = segmentCustomers(computeFacts(orders, options).customers, config);
 */
export function segmentCustomers(
  facts: readonly CustomerFacts[],
  config: Config,
  predictions?: ReadonlyMap<string, Prediction>,
): CustomerSegment[] {
  const columns = factsToColumns(facts);
  const predicted = predictions ? predictionColumns(columns.customerId, predictions) : undefined;
  return [...segmentColumns(columns, config, predicted)];
}

/** Model outputs per position as columns, NaN where a customer has none. */
export interface PredictionColumns {
  readonly expectedOrders365: Float64Array;
  readonly pAlive: Float64Array;
  readonly predictedClvCents: Float64Array;
}

function predictionColumns(ids: readonly string[], predictions: ReadonlyMap<string, Prediction>): PredictionColumns {
  const column = (pick: (p: Prediction) => number) => Float64Array.from(ids, (id) => {
    const prediction = predictions.get(id);
    return prediction ? pick(prediction) : Number.NaN;
  });
  return { expectedOrders365: column((p) => p.expectedOrders365), pAlive: column((p) => p.pAlive), predictedClvCents: column((p) => p.predictedClvCents) };
}

/**
 * Tiers and RFM overlays for every customer (docs/DESIGN.md "LTV and tiers", "RFM overlay"),
 * read from and written to columns: a million customers cost flat buffers, not objects.
 * Pure and deterministic: the output follows the facts' order. `predictions` come in the same
 * order; a customer whose prediction is NaN is segmented as if the model had not run.
 *
 * @example
 * const segments = segmentColumns(builder.finishColumns().facts, config);
 * segments.at(0).tier;
 */
export function segmentColumns(facts: FactsColumns, config: Config, predictions?: PredictionColumns): SegmentColumns {
  const n = facts.length;
  const predicted = (i: number) => predictions !== undefined && !Number.isNaN(predictions.predictedClvCents[i]!);
  const ltv = rankingValues(facts, config, predictions);
  const tiers = assignTiers(facts, ltv, config);
  const rScores = scores(facts.daysSinceLast, false);
  const fScores = scores(facts.orders, true);
  const mScores = scores(facts.ltvCents, true);
  const cohortPercentiles = cohortPercentilesOf(facts, ltv);
  const topTierIds = topTiers(config);
  const lastTierId = config.tiers.at(-1)!.id;
  const reactivationDays = new Map(config.tiers.map((tier) => [tier.id, tier.reactivation_days]));

  const table = new StringTable();
  const code = (value: string | null) => table.code(value);
  const tierCodes = [...config.tiers.map((tier) => tier.id), NEW_TIER].map(code);
  const bucketCodes = config.recency_buckets.map((bucket) => code(bucket.id));
  const rfmCodes = RFM_CODES.map(code);
  const rfmSegmentCodes = Array.from({ length: 25 }, (_, i) => code(rfmSegmentOf(Math.floor(i / 5) + 1, (i % 5) + 1)));
  const trendCodes = [-1, 0, 1].map((sign) => code(frequencyTrendOf(sign)));
  const lapsedCodes = { none: code(null), high: code('high_value'), low: code('low_value') };
  const cohortCodes = facts.cohortNames.map(code);
  const noCategory = code(null);
  const categoryCodes = facts.categoryNames.map(code);

  const text = {
    tier: new Uint32Array(n), recencyBucket: new Uint32Array(n), rfm: new Uint32Array(n), cohort: new Uint32Array(n),
    topCategory: new Uint32Array(n), lapsed: new Uint32Array(n), rfmSegment: new Uint32Array(n), frequencyTrend: new Uint32Array(n),
  };
  const churnRiskColumn = new Uint8Array(n);
  const flags = new Uint8Array(n);
  const r = new Uint8Array(n);
  const f = new Uint8Array(n);
  const m = new Uint8Array(n);
  for (let index = 0; index < n; index++) {
    const tier = tiers.tier[index]!;
    const tierId = tier === config.tiers.length ? NEW_TIER : config.tiers[tier]!.id;
    const d = facts.daysSinceLast[index]!;
    const bucket = recencyBucketIndex(d, config);
    const recencyBucket = config.recency_buckets[bucket]!.id;
    const trend = clamp(facts.orderTrend[index]!, -5, 5);
    const churnRisk =
      config.churn.model === 'bgnbd' && predicted(index)
        ? Math.round(100 * (1 - predictions!.pAlive[index]!))
        : heuristicChurnRisk({ daysSinceLast: d, orderTrend: facts.orderTrend[index]!, orderImprovement: facts.orderImprovement[index]! });
    const isTop = topTierIds.has(tierId);
    const suppressed = d > config.suppression_days && !isTop;
    const trigger = reactivationDays.get(tierId);
    const atRisk =
      (config.churn.at_risk_tiers.includes(tierId) && churnRisk > config.churn.at_risk_threshold) ||
      (config.churn.declining_tiers.includes(tierId) && recencyBucket === config.recency_buckets[0]!.id && trend < 0);
    const reactivationDue = trigger !== undefined && d >= trigger && !suppressed;
    r[index] = rScores[index]!;
    f[index] = fScores[index]!;
    m[index] = mScores[index]!;
    churnRiskColumn[index] = churnRisk;
    flags[index] = (atRisk ? 1 : 0) | (suppressed ? 2 : 0) | (reactivationDue ? 4 : 0);
    text.tier[index] = tierCodes[tier]!;
    text.recencyBucket[index] = bucketCodes[bucket]!;
    text.rfm[index] = rfmCodes[(r[index]! - 1) * 25 + (f[index]! - 1) * 5 + (m[index]! - 1)]!;
    text.rfmSegment[index] = rfmSegmentCodes[(r[index]! - 1) * 5 + (f[index]! - 1)]!;
    text.frequencyTrend[index] = trendCodes[Math.sign(facts.orderTrend[index]!) + 1]!;
    text.lapsed[index] = d > config.lapsed_days ? (isTop ? lapsedCodes.high : tierId === lastTierId ? lapsedCodes.low : lapsedCodes.none) : lapsedCodes.none;
    text.cohort[index] = cohortCodes[facts.cohort[index]!]!;
    const category = facts.topCategory[index]!;
    text.topCategory[index] = category < 0 ? noCategory : categoryCodes[category]!;
  }
  const none = predictions ? undefined : new Float64Array(n).fill(Number.NaN);
  return segmentColumnsOf({
    length: n,
    customerId: facts.customerId,
    email: facts.email,
    strings: table.strings,
    text,
    numbers: {
      ltvCents: ltv,
      historicalLtvCents: facts.ltvCents,
      predictedClvCents: predictions?.predictedClvCents ?? none!,
      pAlive: predictions?.pAlive ?? none!,
      expectedOrders365: predictions?.expectedOrders365 ?? none!,
      topShare: tiers.topShare,
      orders: facts.orders,
      ordersLast365: facts.ordersLast365,
      revenueCents: facts.revenueCents,
      aovCents: facts.aovCents,
      firstOrderAt: facts.firstOrderAt,
      lastOrderAt: facts.lastOrderAt,
      daysSinceLast: facts.daysSinceLast,
      tenureDays: facts.tenureDays,
      churnRisk: churnRiskColumn,
      cohortPercentile: cohortPercentiles,
      r,
      f,
      m,
    },
    flags,
  });
}

/** The 125 codes "111" to "555", one string each, shared by every customer with that code. */
const RFM_CODES = Array.from({ length: 125 }, (_, i) => `${Math.floor(i / 25) + 1}${(Math.floor(i / 5) % 5) + 1}${(i % 5) + 1}`);

/**
 * Churn risk 0–100 by the guide's formula (docs/DESIGN.md "RFM overlay"), rounded to a whole
 * number, which is also what the at-risk threshold compares:
 * 100 − (1 − min(d,365)/365)·50 − (trend/5)·30 − (improvement/10)·20.
 */
export function heuristicChurnRisk(customer: Pick<CustomerFacts, 'daysSinceLast' | 'orderTrend' | 'orderImprovement'>): number {
  const recency = 1 - Math.min(customer.daysSinceLast, 365) / 365;
  const trend = clamp(customer.orderTrend, -5, 5);
  const improvement = clamp(customer.orderImprovement, -10, 10);
  const risk = 100 - recency * 50 - (trend / 5) * 30 - (improvement / 10) * 20;
  return clamp(Math.round(risk), 0, 100);
}

/** The recency bucket id for days since the last order: the first bucket whose max covers it. */
export function recencyBucketOf(daysSinceLast: number, config: Config): string {
  return config.recency_buckets[recencyBucketIndex(daysSinceLast, config)]!.id;
}

function recencyBucketIndex(daysSinceLast: number, config: Config): number {
  return config.recency_buckets.findIndex((b) => b.max_days === null || daysSinceLast <= b.max_days);
}

/** Tier ids counted as "the top 20%": cumulative share within `top_tiers_share`. */
export function topTiers(config: Config): Set<string> {
  return new Set(config.tiers.filter((tier) => tier.cumulative_share <= config.top_tiers_share + 1e-12).map((tier) => tier.id));
}

/** R/F/M score 1–5: min(5, 1 + floor(5 × w / N)), w = customers strictly worse. */
function scores(values: ArrayLike<number>, higherIsBetter: boolean): number[] {
  const n = values.length;
  return countStrictlyWorse(values, higherIsBetter).map((worse) => Math.min(5, 1 + Math.floor((5 * worse) / n)));
}

/** The value tiers are ranked on, per `ltv.model`; the historical LTV where there is no prediction. */
function rankingValues(facts: FactsColumns, config: Config, predictions: PredictionColumns | undefined): Float64Array {
  if (!predictions || config.ltv.model === 'historical') return facts.ltvCents;
  const values = new Float64Array(facts.length);
  for (let i = 0; i < facts.length; i++) {
    const clv = predictions.predictedClvCents[i]!;
    values[i] = Number.isNaN(clv) ? facts.ltvCents[i]! : config.ltv.model === 'predictive' ? clv : facts.ltvCents[i]! + clv;
  }
  return values;
}

/** Per position the tier's index in config.tiers (config.tiers.length for `new`) and the top share (NaN for `new`). */
function assignTiers(facts: FactsColumns, ltv: Float64Array, config: Config) {
  const tier = new Uint8Array(facts.length).fill(config.tiers.length);
  const topShare = new Float64Array(facts.length).fill(Number.NaN);
  const mature: number[] = [];
  for (let i = 0; i < facts.length; i++) if (facts.tenureDays[i]! >= config.new_customer_days) mature.push(i);
  const higher = countStrictlyBetter(mature.map((index) => ltv[index]!), true);
  const strict = config.strict_vip.enabled ? strictVipCheck(facts, mature, config) : undefined;
  mature.forEach((index, position) => {
    const share = (higher[position]! + 1) / mature.length;
    // docs/DESIGN.md: no revenue in the LTV window is the lowest tier, however large the block of
    // ties at 0 (whichever value `ltv.model` ranks on).
    const noRevenue = facts.ltvCents[index] === 0;
    let tierIndex = noRevenue ? config.tiers.length - 1 : config.tiers.findIndex((t: TierConfig) => share <= t.cumulative_share);
    if (strict && config.tiers[tierIndex]!.id === strict.tier && !strict.passes(index)) tierIndex++;
    tier[index] = tierIndex;
    topShare[index] = share;
  });
  return { tier, topShare };
}

/** docs/DESIGN.md "LTV and tiers", the optional strict VIP rule: AOV > k × median AOV of mature customers and ≥ n orders in 12 months. */
function strictVipCheck(facts: FactsColumns, mature: readonly number[], config: Config) {
  const medianAov = median(mature.map((index) => facts.aovCents[index]!));
  const { tier, aov_multiple, min_orders_last_365_days } = config.strict_vip;
  return {
    tier,
    passes: (index: number) => facts.aovCents[index]! > aov_multiple * medianAov && facts.ordersLast365[index]! >= min_orders_last_365_days,
  };
}

function cohortPercentilesOf(facts: FactsColumns, ltv: Float64Array): Float64Array {
  const members = facts.cohortNames.map((): number[] => []);
  for (let i = 0; i < facts.length; i++) members[facts.cohort[i]!]!.push(i);
  const result = new Float64Array(facts.length);
  for (const indexes of members) {
    const higher = countStrictlyBetter(indexes.map((index) => ltv[index]!), true);
    indexes.forEach((index, position) => {
      result[index] = Math.round((10_000 * (indexes.length - higher[position]!)) / indexes.length) / 100;
    });
  }
  return result;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
