import type { PlaybookEntry } from '../config/activation-schema.ts';
import type { Config } from '../config/schema.ts';
import { channelEligibility, CHANNELS, type Channel } from '../core/channels.ts';
import type { CustomerSegment } from '../core/segment.ts';
import { desiredCustomer } from '../reconcile/desired.ts';
import { activationSegments, type ActivationSegment } from './segment-definitions.ts';

/**
 * The master playbook (seed 000 step 5; docs/DESIGN.md "Activation"): per segment its size and value
 * as computed, the strategy texts of the config, and the platform setup, plus the live sizes of
 * its Shopify segment and Klaviyo list when they were read (step 6's validation). Pure.
 */

export interface PlaybookRow {
  readonly key: string;
  readonly segment: string;
  readonly kind: 'tier' | 'overlay';
  readonly customers: number;
  /** Of all segmented customers. */
  readonly share: number;
  /** Minor units; null for an empty segment. */
  readonly averageLtvCents: number | null;
  /** Of all customers' LTV (window revenue); null when nobody has any. */
  readonly revenueShare: number | null;
  /** Σ predicted CLV of the next 365 days (minor units); null with the model off. */
  readonly predictedRevenueNextYearCents: number | null;
  /** Customers expected to order at least once in the next 365 days; null with the model off. */
  readonly expectedReturningCustomers: number | null;
  readonly emailCadence: string;
  readonly offerStrategy: string;
  readonly tone: string;
  readonly reactivationTriggerDays: number | null;
  /** The trigger in words (what the days mean, or why there are none). */
  readonly reactivationTrigger: string;
  readonly suppressionRule: string;
  readonly channels: readonly string[];
  /** Of the segment's customers, how many each channel may reach under the `channels` eligibility rules (seed 000 mistake 8). */
  readonly reachable: Readonly<Record<Channel, number>>;
  readonly platform: {
    readonly tag: string;
    readonly shopifySegment: { readonly name: string; readonly query: string | null };
    /** A metafield condition selecting the segment (tiers only: the `tier` metafield). */
    readonly metafield: string | null;
    readonly klaviyoList: string | null;
    readonly klaviyoSegment: string;
    readonly flow: string;
    readonly flowTrigger: string;
  };
  /** How many profiles its Klaviyo list should hold: one per email (the best-ranked customer's), holdouts left out of tier and action lists. */
  readonly klaviyoExpected: number;
  readonly live: LiveSizes | null;
}

/** A live size: members, `missing` (no such segment or list yet), or `not checked` (no credentials for that platform). */
export type LiveSize = number | 'missing' | 'not checked';

export interface LiveSizes {
  readonly shopifySegment: LiveSize;
  readonly klaviyoList: LiveSize;
}

export interface PlaybookInput {
  readonly segments: readonly CustomerSegment[];
  readonly config: Config;
  /** Held-out customers (store), who are kept out of the tier and action lists; none when absent. */
  readonly isHeldOut?: (customerId: string) => boolean;
  /** Live sizes by segment key; null when not checked (no credentials). */
  readonly live: ReadonlyMap<string, LiveSizes> | null;
}

/** "not configured" text for a segment without playbook texts (custom tiers). */
export const MISSING_TEXT = 'not configured';

/**
 * @example
 * const rows = buildPlaybook({ segments, config, live: null });
 * rows[1]; // { segment: 'VIP', customers: 12, share: 0.1, emailCadence: '2–3x/week', ... }
 */
export function buildPlaybook(input: PlaybookInput): PlaybookRow[] {
  const { segments, config } = input;
  const definitions = activationSegments(config);
  const members = new Map<string, CustomerSegment[]>(definitions.map((d) => [d.key, []]));
  for (const segment of segments) for (const key of membership(segment)) members.get(key)?.push(segment);
  const totalLtv = segments.reduce((sum, s) => sum + s.ltvCents, 0);
  const modelOn = segments.some((s) => s.predictedClvCents !== null);
  const klaviyo = klaviyoAudience(segments, config, input.isHeldOut ?? (() => false));

  return definitions.map((definition) => {
    const group = members.get(definition.key) ?? [];
    const ltv = group.reduce((sum, s) => sum + s.ltvCents, 0);
    const texts = fill(config.playbook.segments[definition.key], definition, config);
    return {
      key: definition.key,
      segment: definition.label,
      kind: definition.kind,
      customers: group.length,
      share: segments.length ? group.length / segments.length : 0,
      averageLtvCents: group.length ? Math.round(ltv / group.length) : null,
      revenueShare: totalLtv ? ltv / totalLtv : null,
      predictedRevenueNextYearCents: modelOn ? group.reduce((sum, s) => sum + (s.predictedClvCents ?? 0), 0) : null,
      expectedReturningCustomers: modelOn ? group.reduce((sum, s) => sum + probabilityOfReturn(s), 0) : null,
      emailCadence: texts.email_cadence,
      offerStrategy: texts.offer_strategy,
      tone: texts.tone,
      reactivationTriggerDays: triggerDays(definition, config),
      reactivationTrigger: triggerText(definition, config),
      suppressionRule: texts.suppression_rule,
      channels: texts.channels,
      reachable: reachableByChannel(group, config),
      platform: {
        tag: definition.tag,
        shopifySegment: { name: definition.segmentName, query: definition.shopifyQuery },
        metafield: definition.kind === 'tier' ? `metafields.${config.shopify.metafield_namespace}.tier = '${definition.key}'` : null,
        klaviyoList: definition.list,
        klaviyoSegment: definition.segmentName,
        flow: texts.flow,
        flowTrigger: definition.list ? `Klaviyo list "${definition.list}": a profile is added` : `Klaviyo segment "${definition.segmentName}": a profile enters`,
      },
      klaviyoExpected: definition.list ? (klaviyo.get(definition.list) ?? 0) : 0,
      live: input.live?.get(definition.key) ?? null,
    };
  });
}

function reachableByChannel(group: readonly CustomerSegment[], config: Config): Record<Channel, number> {
  const counts: Record<Channel, number> = { email: 0, sms: 0, push: 0, paid_social: 0 };
  for (const customer of group) {
    const eligible = channelEligibility(customer, config.channels);
    for (const channel of CHANNELS) if (eligible[channel]) counts[channel] += 1;
  }
  return counts;
}

/** Days without an order that start a reactivation: the tier's, or the lapse for lapsed high-value. */
function triggerDays(definition: ActivationSegment, config: Config): number | null {
  return definition.key === 'lapsed_high_value' ? config.lapsed_days : definition.reactivationDays;
}

function triggerText(definition: ActivationSegment, config: Config): string {
  const days = triggerDays(definition, config);
  if (days !== null) return `${days} days without an order`;
  switch (definition.key) {
    case 'at_risk':
      return `now: churn risk above ${config.churn.at_risk_threshold}`;
    case 'reactivate':
      return `its tier's: ${config.tiers.map((t) => `${t.label} ${t.reactivation_days}`).join(', ')} days`;
    case 'lapsed_low_value':
    case 'suppressed':
      return 'never: on the master suppression list';
    default:
      return 'none: benchmarked on its first-order cohort';
  }
}

/** Whether a live size differs from what the computation says it should be. */
export function sizeDiffers(row: PlaybookRow, which: keyof LiveSizes): boolean | null {
  const live = row.live?.[which];
  if (typeof live !== 'number') return null;
  return live !== (which === 'shopifySegment' ? row.customers : row.klaviyoExpected);
}

/** The segment keys a customer belongs to: its tier and each overlay it has. */
function membership(segment: CustomerSegment): string[] {
  return [
    segment.tier,
    ...(segment.atRisk ? ['at_risk'] : []),
    ...(segment.lapsed === 'high_value' ? ['lapsed_high_value'] : []),
    ...(segment.lapsed === 'low_value' ? ['lapsed_low_value'] : []),
    ...(segment.reactivationDue ? ['reactivate'] : []),
    ...(segment.suppressed ? ['suppressed'] : []),
  ];
}

/**
 * P(at least one order in the next 365 days) ≈ P(alive) × (1 − e^(−λt)), with the purchase
 * rate over the year while alive λt = E[orders] / P(alive) (BG/NBD's expected orders already
 * weigh by P(alive)). Ignores dropout within the year, so it leans high.
 */
function probabilityOfReturn(segment: CustomerSegment): number {
  const alive = segment.pAlive ?? 0;
  const expected = segment.expectedOrders365 ?? 0;
  if (alive <= 0 || expected <= 0) return 0;
  return alive * (1 - Math.exp(-expected / alive));
}

/**
 * How many profiles each Klaviyo list should hold, by list name: one profile per email, the
 * best-ranked customer's (tier order, then the smaller id, as reconcile does), in the lists its
 * desired state names (reconcile/desired.ts: held-out customers stay out of tier and action lists).
 */
function klaviyoAudience(segments: readonly CustomerSegment[], config: Config, isHeldOut: (customerId: string) => boolean): Map<string, number> {
  const rank = new Map<string, number>(config.tiers.map((t, i) => [t.id, i]));
  const score = (s: CustomerSegment) => rank.get(s.tier) ?? config.tiers.length;
  const winners = new Map<string, CustomerSegment>();
  for (const s of segments) {
    if (!s.email) continue;
    const email = s.email.toLowerCase();
    const current = winners.get(email);
    if (!current || score(s) < score(current) || (score(s) === score(current) && s.customerId < current.customerId)) winners.set(email, s);
  }
  const counts = new Map<string, number>();
  for (const s of winners.values()) {
    // The currency only formats money properties, which lists do not depend on.
    for (const list of desiredCustomer(s, config, 'USD', isHeldOut(s.customerId)).lists) counts.set(list, (counts.get(list) ?? 0) + 1);
  }
  return counts;
}

/** The segment's texts with `{reactivation_days}`, `{lapsed_days}`, `{suppression_days}` and `{list}` filled in. */
function fill(entry: PlaybookEntry | undefined, definition: ActivationSegment, config: Config): PlaybookEntry {
  const missing = `${MISSING_TEXT} (set playbook.segments.${definition.key})`;
  const source = entry ?? { email_cadence: missing, offer_strategy: missing, tone: missing, suppression_rule: missing, channels: [], flow: missing };
  const values: Record<string, string> = {
    reactivation_days: definition.reactivationDays === null ? 'n/a' : String(definition.reactivationDays),
    lapsed_days: String(config.lapsed_days),
    suppression_days: String(config.suppression_days),
    list: definition.list ? `"${definition.list}"` : `"${definition.segmentName}"`,
  };
  const apply = (text: string) => text.replace(/\{(reactivation_days|lapsed_days|suppression_days|list)\}/g, (_, name: string) => values[name] as string);
  return {
    email_cadence: apply(source.email_cadence),
    offer_strategy: apply(source.offer_strategy),
    tone: apply(source.tone),
    suppression_rule: apply(source.suppression_rule),
    channels: source.channels,
    flow: apply(source.flow),
  };
}
