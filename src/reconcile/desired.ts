import type { Config } from '../config/schema.ts';
import { formatMinorUnits, minorDigits, minorUnitsToDecimal } from '../core/money.ts';
import { channelEligibility, CHANNELS } from '../core/channels.ts';
import { NEW_TIER, type CustomerSegment } from '../core/segment.ts';
import type { TiersyncMetafieldKey } from './metafield-keys.ts';
import { managedLists, type ListKey } from './managed.ts';

export type PropertyValue = string | number | boolean | null;

export interface MetafieldValue {
  readonly type: 'single_line_text_field' | 'number_integer' | 'number_decimal';
  readonly value: string;
}

/** What tiersync wants one customer to look like in Shopify and Klaviyo. */
export interface DesiredCustomer {
  readonly customerId: string;
  readonly tier: string;
  /** Lower-cased email for Klaviyo matching; null means Shopify tags and metafields only. */
  readonly email: string | null;
  /** Managed tags, sorted. */
  readonly tags: string[];
  readonly metafields: Record<string, MetafieldValue>;
  /** Klaviyo profile properties, prefixed; `updated_at` is added only when something changed. */
  readonly properties: Record<string, PropertyValue>;
  /** Managed Klaviyo list names, sorted. */
  readonly lists: string[];
}

/** The lists a held-out customer is kept out of: the ones campaigns act on. */
const ACTION_LISTS: ReadonlySet<ListKey> = new Set(['at_risk', 'lapsed_high_value', 'lapsed_low_value', 'reactivate']);

/**
 * The desired state of one customer from its segment (docs/DESIGN.md "Outputs", "Activation").
 * Pure: the same segment, config and holdout flag give the same tags, metafields, properties
 * and lists. A held-out customer keeps every tag, metafield and property (reporting stays
 * whole), gets the holdout tag, property and list, and is left out of the tier list and the
 * action lists.
 *
 * @example
 * const desired = desiredCustomer(segment, config, 'USD');
 * desired.tags // ['ltv:vip', 'reactivate', 'rfm:warm']
 */
export function desiredCustomer(segment: CustomerSegment, config: Config, currency: string, heldOut = false): DesiredCustomer {
  const tierTag = segment.tier === NEW_TIER ? config.new_tier.tag : config.tiers.find((t) => t.id === segment.tier)!.tag;
  const recencyTag = config.recency_buckets.find((b) => b.id === segment.recencyBucket)!.tag;
  const overlays = {
    at_risk: segment.atRisk,
    lapsed_high_value: segment.lapsed === 'high_value',
    lapsed_low_value: segment.lapsed === 'low_value',
    suppressed: segment.suppressed,
    reactivate: segment.reactivationDue,
    holdout: heldOut,
  };
  const tags = [tierTag, recencyTag, ...Object.entries(overlays).filter(([, on]) => on).map(([key]) => config.tags[key as keyof typeof overlays])];

  const channels = channelEligibility(segment, config.channels);
  const inList: Record<ListKey, boolean> = {
    ...overlays,
    suppress_sms: !channels.sms,
    suppress_push: !channels.push,
    suppress_paid_social: !channels.paid_social,
  };
  const { tiers, overlays: overlayLists } = managedLists(config);
  const lists = [
    ...(heldOut ? [] : [tiers.get(segment.tier)!]),
    ...[...overlayLists].filter(([key]) => inList[key] && !(heldOut && ACTION_LISTS.has(key))).map(([, name]) => name),
  ];

  const money = (cents: number | null) => (cents === null ? null : minorUnitsToDecimal(cents, currency));
  // Predictions move a little every day; whole currency units and two decimals keep daily
  // runs from rewriting every profile for changes nobody would act on.
  const predictedClv = segment.predictedClvCents === null ? null : roundToMajor(segment.predictedClvCents, currency);
  const p = config.klaviyo.property_prefix;
  const properties: Record<string, PropertyValue> = {
    [`${p}tier`]: segment.tier,
    [`${p}ltv`]: money(segment.ltvCents),
    // Whole percents: a rank-relative value that would otherwise shift for everyone below any
    // customer who moves up, rewriting most profiles for a change nobody acts on.
    [`${p}percentile`]: segment.topShare === null ? null : Math.round(100 * (1 - segment.topShare)),
    [`${p}historical_clv`]: money(segment.historicalLtvCents),
    [`${p}predicted_clv`]: money(predictedClv),
    [`${p}total_clv`]: predictedClv === null ? null : money(segment.historicalLtvCents + predictedClv),
    [`${p}rfm`]: segment.rfm,
    [`${p}r`]: segment.r,
    [`${p}f`]: segment.f,
    [`${p}m`]: segment.m,
    [`${p}recency`]: segment.recencyBucket,
    [`${p}churn_risk`]: segment.churnRisk,
    [`${p}p_alive`]: segment.pAlive === null ? null : Math.round(segment.pAlive * 100) / 100,
    [`${p}at_risk`]: segment.atRisk,
    [`${p}lapsed`]: segment.lapsed,
    [`${p}suppressed`]: segment.suppressed,
    [`${p}reactivation_due`]: segment.reactivationDue,
    [`${p}cohort`]: segment.cohort,
    [`${p}cohort_percentile`]: Math.round(segment.cohortPercentile),
    [`${p}orders`]: segment.orders,
    [`${p}aov`]: money(segment.aovCents),
    [`${p}last_order_date`]: new Date(segment.lastOrderAt).toISOString().slice(0, 10),
    [`${p}top_category`]: segment.topCategory,
    [`${p}rfm_segment`]: segment.rfmSegment,
    [`${p}frequency_trend`]: segment.frequencyTrend,
    [`${p}holdout`]: heldOut,
    ...Object.fromEntries(CHANNELS.map((channel) => [`${p}${channel}_ok`, channels[channel]])),
  };

  const metafields: Partial<Record<TiersyncMetafieldKey, MetafieldValue>> = {
    tier: { type: 'single_line_text_field', value: segment.tier },
    ltv: { type: 'number_decimal', value: formatMinorUnits(segment.ltvCents, currency) },
    churn_risk: { type: 'number_integer', value: String(segment.churnRisk) },
    rfm: { type: 'single_line_text_field', value: segment.rfm },
    rfm_segment: { type: 'single_line_text_field', value: segment.rfmSegment },
    frequency_trend: { type: 'single_line_text_field', value: segment.frequencyTrend },
  };
  if (predictedClv !== null) metafields.predicted_clv = { type: 'number_decimal', value: formatMinorUnits(predictedClv, currency) };

  return {
    customerId: segment.customerId,
    tier: segment.tier,
    email: segment.email ? segment.email.toLowerCase() : null,
    tags: [...new Set(tags)].sort(),
    metafields,
    properties,
    lists: [...new Set(lists)].sort(),
  };
}

/** Minor units rounded to whole major units (cents → whole dollars), still in minor units. */
function roundToMajor(minor: number, currency: string): number {
  const unit = 10 ** minorDigits(currency);
  return Math.round(minor / unit) * unit;
}
