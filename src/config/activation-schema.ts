import { z } from 'zod';

/**
 * The activation settings (docs/DESIGN.md "Activation"): native segments in Shopify and Klaviyo,
 * metafield definitions, and the texts of the playbook. Segment keys are the tier ids, `new`
 * and the overlay keys (`at_risk`, `lapsed_high_value`, `lapsed_low_value`, `reactivate`,
 * `suppressed`). Playbook texts may use `{reactivation_days}`, `{lapsed_days}`,
 * `{suppression_days}` and `{list}`, filled in from the rest of the config.
 */

/** Segment names are looked up by name on both platforms: the characters Klaviyo cannot filter names on are refused, as for lists. */
const segmentName = z
  .string()
  .min(1, 'must not be empty')
  .max(255)
  .refine((name) => !/["\\]/.test(name), 'must not contain " or \\ (Klaviyo cannot look such a segment up by name)');

const metafieldText = z.strictObject({
  /** What the Shopify admin shows instead of the raw key, e.g. "tiersync tier". */
  name: z.string().min(1).max(255),
  description: z.string().max(255),
});

const playbookEntry = z.strictObject({
  email_cadence: z.string(),
  offer_strategy: z.string(),
  tone: z.string(),
  suppression_rule: z.string(),
  channels: z.array(z.string().min(1)),
  /** The suggested flow: name and steps (its trigger is the segment's Klaviyo list or segment). */
  flow: z.string(),
});

export type PlaybookEntry = z.output<typeof playbookEntry>;

const TOP_TIER_SUPPRESSION = 'Never on the master suppression list (top tiers); moves to Lapsed High-Value after {lapsed_days} days without an order';

/** Defaults from the seed guide's playbook (seed 000, steps 4–5 and mistakes 5–8). */
const DEFAULT_PLAYBOOK: Record<string, PlaybookEntry> = {
  champion: {
    email_cadence: '1–2x/week with exclusive content',
    offer_strategy: 'Exclusive, non-discounted benefits: early access to launches, personalization, concierge service, loyalty tier acceleration',
    tone: 'Concierge, personalized ("reserved for our top customers")',
    suppression_rule: TOP_TIER_SUPPRESSION,
    channels: ['email', 'SMS', 'phone (concierge)'],
    flow: 'Champions reactivation: day 1 concierge offer email, day 5 win-back SMS with a high incentive, day 10 phone call if AOV is above $5K',
  },
  vip: {
    email_cadence: '2–3x/week',
    offer_strategy: 'Tiered exclusive access and subscription conversion; 15–20% incentives on premium products',
    tone: 'Exclusive, escalation',
    suppression_rule: TOP_TIER_SUPPRESSION,
    channels: ['email', 'SMS'],
    flow: 'VIP upsell: day 1 VIP-exclusive collection email, day 7 cross-category subscription offer',
  },
  high_value: {
    email_cadence: '2–3x/week',
    offer_strategy: 'Frequency acceleration and bundles; 20–30% on a broad selection',
    tone: 'Standard commercial',
    suppression_rule: TOP_TIER_SUPPRESSION,
    channels: ['email', 'SMS'],
    flow: 'High-Value frequency: next purchase 15% off, then a bundle offer and loyalty tier enrollment',
  },
  mid_tier: {
    email_cadence: '1–2x/week',
    offer_strategy: 'Second-purchase incentives and cross-sell; 25–35% to drive frequency',
    tone: 'Standard commercial ("join 1,000+ satisfied customers")',
    suppression_rule: 'On the master suppression list after {suppression_days} days without an order',
    channels: ['email'],
    flow: 'Mid-Tier reactivation: day 1 15% off their favourite category, day 8 starter bundle, day 15 social proof without a discount',
  },
  low_value: {
    email_cadence: '1x/week or suppressed',
    offer_strategy: 'Minimal incentive or suppression',
    tone: 'Standard commercial',
    suppression_rule: 'On the master suppression list after {suppression_days} days without an order; out of SMS and push unless active in the last 30 days',
    channels: ['email'],
    flow: 'Low-Value win-back only on strong intent signals; otherwise none',
  },
  new: {
    email_cadence: 'Welcome series, then 1x/week',
    offer_strategy: 'Second-purchase incentive; benchmarked against their first-order-month cohort, not the mature tiers',
    tone: 'Standard commercial, welcoming',
    suppression_rule: 'On the master suppression list after {suppression_days} days without an order',
    channels: ['email'],
    flow: 'New customer welcome: day 1 thank-you and brand story, day 14 second-purchase nudge, day 30 best sellers',
  },
  at_risk: {
    email_cadence: 'Win-back sequence, then the tier’s cadence',
    offer_strategy: 'Premium incentive before they are lost (immediate intervention whatever the LTV)',
    tone: 'Caring, informative, not salesy',
    suppression_rule: 'Never suppressed while at risk',
    channels: ['email', 'SMS'],
    flow: 'At-risk win-back: day 1 "we miss you, exclusive access inside", day 5 SMS, day 15 back-in-stock recommendation',
  },
  lapsed_high_value: {
    email_cadence: 'White-glove win-back sequence',
    offer_strategy: 'Premium win-back incentive and concierge outreach',
    tone: 'Concierge, personal',
    suppression_rule: 'Not suppressed: top-tier customers inactive {lapsed_days}+ days are won back, not dropped',
    channels: ['email', 'SMS', 'phone (concierge)'],
    flow: 'Lapsed High-Value reactivation: day 1 personal email with an exclusive offer, day 5 SMS, day 10 concierge call',
  },
  lapsed_low_value: {
    email_cadence: '1x/month or suppressed',
    offer_strategy: 'Minimal intervention, or none unless they show strong intent signals',
    tone: 'Standard commercial',
    suppression_rule: 'On the master suppression list; out of paid social retargeting after 180 days without an order',
    channels: ['email'],
    flow: 'Lapsed Low-Value: one low-cost reminder email, then suppression',
  },
  reactivate: {
    email_cadence: 'The reactivation flow, once per lapse',
    offer_strategy: 'The offer depth of the customer’s tier (see the tier’s row)',
    tone: 'The tone of the customer’s tier',
    suppression_rule: 'Suppressed customers are never due for reactivation',
    channels: ['email', 'SMS'],
    flow: 'Reactivation: the tier’s win-back sequence, started when the tier’s trigger days pass without an order',
  },
  suppressed: {
    email_cadence: 'None: excluded from broadcasts and discount promotions',
    offer_strategy: 'None',
    tone: 'n/a',
    suppression_rule: 'Master suppression list: {suppression_days}+ days without an order and below the top tiers',
    channels: [],
    flow: 'None: exclude {list} from every campaign and flow',
  },
};

const DEFAULT_METAFIELDS = {
  tier: { name: 'tiersync tier', description: 'Lifetime-value tier computed by tiersync (champion, vip, high_value, mid_tier, low_value, new)' },
  ltv: { name: 'tiersync LTV', description: 'Historical lifetime value: net revenue of the last 730 days, in shop currency' },
  churn_risk: { name: 'tiersync churn risk', description: 'Churn risk score from 0 (safe) to 100 (lost), computed by tiersync' },
  rfm: { name: 'tiersync RFM code', description: 'Recency, frequency and monetary scores (1–5 each), e.g. 545' },
  rfm_segment: { name: 'tiersync RFM segment', description: 'Named RFM segment from R and F: Champions, Loyal, Potential Loyalist, …, Hibernating, Lost' },
  frequency_trend: { name: 'tiersync frequency trend', description: 'Order frequency trend over the last 180 days: increasing, stable or declining' },
  predicted_clv: { name: 'tiersync predicted CLV', description: 'Predicted revenue of the next 365 days (BG/NBD and Gamma-Gamma), in shop currency' },
};

export const activationSchema = z
  .strictObject({
    /** One Shopify customer segment per tier and overlay, on tiersync's tags. */
    shopify_segments: z.boolean().default(true),
    /** Klaviyo segments on tiersync's profile properties. */
    klaviyo_segments: z.boolean().default(true),
    /** Shopify metafield definitions for tiersync's customer metafields (admin names and filters). */
    metafield_definitions: z.boolean().default(true),
    /** Segment names by segment key; a key not set here takes its Klaviyo list name, else `tiersync: <label>`. */
    segment_names: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a segment key (tier id, new or an overlay key)'), segmentName).default(() => ({})),
    metafields: z
      .strictObject({
        tier: metafieldText.default(DEFAULT_METAFIELDS.tier),
        ltv: metafieldText.default(DEFAULT_METAFIELDS.ltv),
        churn_risk: metafieldText.default(DEFAULT_METAFIELDS.churn_risk),
        rfm: metafieldText.default(DEFAULT_METAFIELDS.rfm),
        rfm_segment: metafieldText.default(DEFAULT_METAFIELDS.rfm_segment),
        frequency_trend: metafieldText.default(DEFAULT_METAFIELDS.frequency_trend),
        predicted_clv: metafieldText.default(DEFAULT_METAFIELDS.predicted_clv),
      })
      .prefault({}),
  })
  .prefault({});

export const playbookSchema = z
  .strictObject({
    /** Texts by segment key; a segment without an entry shows "not configured (playbook.segments.<key>)". */
    segments: z.record(z.string(), playbookEntry).default(() => structuredClone(DEFAULT_PLAYBOOK)),
  })
  .prefault({});
