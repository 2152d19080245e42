import type { Config, TierConfig } from '../config/schema.ts';
import type { CustomerFacts } from './facts.ts';
import { frequencyTrendOf, rfmSegmentOf, type FrequencyTrend, type RfmSegmentName } from './overlays.ts';
import { countStrictlyBetter, countStrictlyWorse, median } from './rank.ts';

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
 * Tiers and RFM overlays for every customer (docs/DESIGN.md "LTV and tiers", "RFM overlay").
 * Pure and deterministic: the output follows the input order (facts come sorted by id).
 *
 * @example
 * const segments = segmentCustomers(computeFacts(orders, options).customers, config);
 */
export function segmentCustomers(
  facts: readonly CustomerFacts[],
  config: Config,
  predictions?: ReadonlyMap<string, Prediction>,
): CustomerSegment[] {
  const ltv = facts.map((customer) => rankingValue(customer, config, predictions?.get(customer.customerId)));
  const tiers = assignTiers(facts, ltv, config);
  const rScores = scores(facts.map((c) => c.daysSinceLast), false);
  const fScores = scores(facts.map((c) => c.orders), true);
  const mScores = scores(facts.map((c) => c.ltvCents), true);
  const cohortPercentiles = cohortPercentilesOf(facts, ltv);
  const topTierIds = topTiers(config);
  const lastTierId = config.tiers.at(-1)!.id;
  const reactivationDays = new Map(config.tiers.map((tier) => [tier.id, tier.reactivation_days]));

  return facts.map((customer, index) => {
    const tier = tiers.tier[index]!;
    const prediction = predictions?.get(customer.customerId);
    const d = customer.daysSinceLast;
    const recencyBucket = recencyBucketOf(d, config);
    const trend = clamp(customer.orderTrend, -5, 5);
    const churnRisk =
      config.churn.model === 'bgnbd' && prediction ? Math.round(100 * (1 - prediction.pAlive)) : heuristicChurnRisk(customer);
    const isTop = topTierIds.has(tier);
    const suppressed = d > config.suppression_days && !isTop;
    const trigger = reactivationDays.get(tier);
    const r = rScores[index]!;
    const f = fScores[index]!;
    const m = mScores[index]!;
    return {
      customerId: customer.customerId,
      email: customer.email,
      tier,
      ltvCents: ltv[index]!,
      historicalLtvCents: customer.ltvCents,
      predictedClvCents: prediction?.predictedClvCents ?? null,
      pAlive: prediction?.pAlive ?? null,
      expectedOrders365: prediction?.expectedOrders365 ?? null,
      topShare: tiers.topShare[index] ?? null,
      orders: customer.orders,
      ordersLast365: customer.ordersLast365,
      revenueCents: customer.revenueCents,
      aovCents: customer.aovCents,
      firstOrderAt: customer.firstOrderAt,
      lastOrderAt: customer.lastOrderAt,
      daysSinceLast: d,
      tenureDays: customer.tenureDays,
      recencyBucket,
      r,
      f,
      m,
      rfm: RFM_CODES[(r - 1) * 25 + (f - 1) * 5 + (m - 1)]!,
      rfmSegment: rfmSegmentOf(r, f),
      frequencyTrend: frequencyTrendOf(customer.orderTrend),
      churnRisk,
      atRisk:
        (config.churn.at_risk_tiers.includes(tier) && churnRisk > config.churn.at_risk_threshold) ||
        (config.churn.declining_tiers.includes(tier) && recencyBucket === config.recency_buckets[0]!.id && trend < 0),
      lapsed: d > config.lapsed_days ? (isTop ? 'high_value' : tier === lastTierId ? 'low_value' : null) : null,
      suppressed,
      reactivationDue: trigger !== undefined && d >= trigger && !suppressed,
      cohort: customer.cohort,
      cohortPercentile: cohortPercentiles[index]!,
      topCategory: customer.topCategory,
    };
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
  const bucket = config.recency_buckets.find((b) => b.max_days === null || daysSinceLast <= b.max_days);
  return bucket!.id;
}

/** Tier ids counted as "the top 20%": cumulative share within `top_tiers_share`. */
export function topTiers(config: Config): Set<string> {
  return new Set(config.tiers.filter((tier) => tier.cumulative_share <= config.top_tiers_share + 1e-12).map((tier) => tier.id));
}

/** R/F/M score 1–5: min(5, 1 + floor(5 × w / N)), w = customers strictly worse. */
function scores(values: readonly number[], higherIsBetter: boolean): number[] {
  const n = values.length;
  return countStrictlyWorse(values, higherIsBetter).map((worse) => Math.min(5, 1 + Math.floor((5 * worse) / n)));
}

function rankingValue(customer: CustomerFacts, config: Config, prediction: Prediction | undefined): number {
  if (!prediction || config.ltv.model === 'historical') return customer.ltvCents;
  if (config.ltv.model === 'predictive') return prediction.predictedClvCents;
  return customer.ltvCents + prediction.predictedClvCents;
}

function assignTiers(facts: readonly CustomerFacts[], ltv: readonly number[], config: Config) {
  const tier = new Array<string>(facts.length).fill(NEW_TIER);
  const topShare = new Array<number | undefined>(facts.length);
  const mature = facts.flatMap((customer, index) => (customer.tenureDays >= config.new_customer_days ? [index] : []));
  const higher = countStrictlyBetter(mature.map((index) => ltv[index]!), true);
  const strict = config.strict_vip.enabled ? strictVipCheck(facts, mature, config) : undefined;
  mature.forEach((index, position) => {
    const share = (higher[position]! + 1) / mature.length;
    // docs/DESIGN.md: no revenue in the LTV window is the lowest tier, however large the block of
    // ties at 0 (whichever value `ltv.model` ranks on).
    const noRevenue = facts[index]!.ltvCents === 0;
    let tierIndex = noRevenue ? config.tiers.length - 1 : config.tiers.findIndex((t: TierConfig) => share <= t.cumulative_share);
    if (strict && config.tiers[tierIndex]!.id === strict.tier && !strict.passes(facts[index]!)) tierIndex++;
    tier[index] = config.tiers[tierIndex]!.id;
    topShare[index] = share;
  });
  return { tier, topShare };
}

/** docs/DESIGN.md "LTV and tiers", the optional strict VIP rule: AOV > k × median AOV of mature customers and ≥ n orders in 12 months. */
function strictVipCheck(facts: readonly CustomerFacts[], mature: readonly number[], config: Config) {
  const medianAov = median(mature.map((index) => facts[index]!.aovCents));
  const { tier, aov_multiple, min_orders_last_365_days } = config.strict_vip;
  return {
    tier,
    passes: (customer: CustomerFacts) =>
      customer.aovCents > aov_multiple * medianAov && customer.ordersLast365 >= min_orders_last_365_days,
  };
}

function cohortPercentilesOf(facts: readonly CustomerFacts[], ltv: readonly number[]): number[] {
  const members = new Map<string, number[]>();
  facts.forEach((customer, index) => {
    const list = members.get(customer.cohort);
    if (list) list.push(index);
    else members.set(customer.cohort, [index]);
  });
  const result = new Array<number>(facts.length);
  for (const indexes of members.values()) {
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
