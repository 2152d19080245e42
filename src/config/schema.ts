import { z } from 'zod';
import { activationSchema, playbookSchema } from './activation-schema.ts';

/**
 * tiersync's configuration: every number of docs/DESIGN.md is a setting here, with the guide's
 * value as its default, so `{}` is a valid config. Keys are snake_case as in the JSON file.
 */

const tagName = z
  .string()
  .min(1, 'must not be empty')
  .max(255, 'Shopify tags are at most 255 characters')
  .refine((tag) => !tag.includes(','), 'must not contain a comma (Shopify splits tags on commas)');

/** Klaviyo list names are looked up with `equals(name,"…")`: quotes and backslashes cannot be filtered on. */
const listName = z
  .string()
  .min(1, 'must not be empty')
  .max(255)
  .refine((name) => !/["\\]/.test(name), 'must not contain " or \\ (Klaviyo cannot look such a list up by name)');

const days = z.number().int('must be a whole number of days').min(0, 'must be ≥ 0');
const share = z.number().gt(0, 'must be > 0').max(1, 'must be ≤ 1');

const tierSchema = z.strictObject({
  /** Stable id used in outputs and rules, e.g. `champion`. */
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case, e.g. "high_value"'),
  /** Display name, e.g. `Champions`. */
  label: z.string().min(1),
  /** Cumulative share of mature customers, top first: champion 0.01, vip 0.10, ... last 1. */
  cumulative_share: share,
  tag: tagName,
  list: listName,
  /** Days since the last order from which a reactivation is due. */
  reactivation_days: days,
});

/**
 * One channel's eligibility rule (seed 000 mistake 8), per tier: tiers listed in
 * `excluded_tiers` are always out; tiers in `only_if_active_tiers` are in only when they
 * ordered in the last `active_days` days; everyone inactive `inactive_cutoff_days` days or more
 * is out; `exclude_suppressed` keeps suppressed customers out.
 */
function channelRule(defaults: { only_if_active_tiers?: string[]; inactive_cutoff_days?: number; exclude_suppressed?: boolean }) {
  return z
    .strictObject({
      excluded_tiers: z.array(z.string()).default(() => []),
      only_if_active_tiers: z.array(z.string()).default(() => [...(defaults.only_if_active_tiers ?? [])]),
      active_days: days.default(30),
      inactive_cutoff_days: days.nullable().default(defaults.inactive_cutoff_days ?? null),
      exclude_suppressed: z.boolean().default(defaults.exclude_suppressed ?? false),
    })
    .prefault({});
}

const recencyBucketSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case'),
  /** Inclusive upper bound of days since the last order; null for the last, open bucket. */
  max_days: days.nullable(),
  tag: tagName,
});

export const configSchema = z
  // Strict at every level: a typo in a safety setting must fail, not silently turn it off.
  .strictObject({
    /** Historical LTV (and M) = net revenue in the last N days; the pull still reads the whole history. */
    history_days: z.number().int('must be a whole number of days').min(1, 'must be ≥ 1').default(730),
    /** Customers whose first order is younger than this are `new`, ranked within their cohort. */
    new_customer_days: days.default(90),
    tiers: z
      .array(tierSchema)
      .min(3, 'configure 3 to 6 tiers')
      .max(6, 'configure 3 to 6 tiers')
      .default(() => [
        { id: 'champion', label: 'Champions', cumulative_share: 0.01, tag: 'ltv:champion', list: 'tiersync: Champions', reactivation_days: 60 },
        { id: 'vip', label: 'VIP', cumulative_share: 0.1, tag: 'ltv:vip', list: 'tiersync: VIP', reactivation_days: 75 },
        { id: 'high_value', label: 'High-Value', cumulative_share: 0.2, tag: 'ltv:high-value', list: 'tiersync: High-Value', reactivation_days: 90 },
        { id: 'mid_tier', label: 'Mid-Tier', cumulative_share: 0.8, tag: 'ltv:mid-tier', list: 'tiersync: Mid-Tier', reactivation_days: 120 },
        { id: 'low_value', label: 'Low-Value', cumulative_share: 1, tag: 'ltv:low-value', list: 'tiersync: Low-Value', reactivation_days: 180 },
      ]),
    new_tier: z
      .strictObject({
        label: z.string().min(1).default('New'),
        tag: tagName.default('ltv:new'),
        list: listName.default('tiersync: New'),
      })
      .prefault({}),
    /** Tiers whose cumulative share is ≤ this are "the top 20%" (lapsed high-value, suppression). */
    top_tiers_share: share.default(0.2),
    strict_vip: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** The tier the rule guards; a customer failing it drops to the next tier. */
        tier: z.string().default('vip'),
        /** AOV must exceed this multiple of the median AOV of mature customers. */
        aov_multiple: z.number().positive().default(2),
        min_orders_last_365_days: z.number().int().min(0).default(3),
      })
      .prefault({}),
    recency_buckets: z
      .array(recencyBucketSchema)
      .min(2)
      .default(() => [
        { id: 'active', max_days: 30, tag: 'rfm:active' },
        { id: 'warm', max_days: 90, tag: 'rfm:warm' },
        { id: 'cool', max_days: 180, tag: 'rfm:cool' },
        { id: 'cold', max_days: null, tag: 'rfm:cold' },
      ]),
    churn: z
      .strictObject({
        model: z.enum(['heuristic', 'bgnbd']).default('heuristic'),
        /** Churn risk strictly above this marks an at-risk customer of `at_risk_tiers`. */
        at_risk_threshold: z.number().min(0).max(100).default(70),
        at_risk_tiers: z.array(z.string()).default(() => ['champion', 'vip']),
        /** Tiers flagged at risk when active with a declining order trend. */
        declining_tiers: z.array(z.string()).default(() => ['high_value']),
        trend_window_days: z.number().int().min(1, 'must be ≥ 1').default(180),
        improvement_window_days: z.number().int().min(1, 'must be ≥ 1').default(365),
      })
      .prefault({}),
    predictions: z
      .strictObject({
        /**
         * Fit BG/NBD + Gamma-Gamma every run for predicted CLV and P(alive) (outputs only unless
         * `ltv.model` / `churn.model` use them); off saves time and memory on very large stores.
         */
        enabled: z.boolean().default(true),
        /** Refit the parameters after this many days (or when the customer base grew by 10%); predict every run. */
        refit_days: z.number().int().min(0).default(30),
      })
      .prefault({}),
    ltv: z
      .strictObject({
        model: z.enum(['historical', 'predictive', 'total']).default('historical'),
      })
      .prefault({}),
    /** Days since the last order past which top tiers are lapsed and the rest suppressed. */
    lapsed_days: days.default(180),
    suppression_days: days.default(180),
    tags: z
      .strictObject({
        at_risk: tagName.default('churn:at-risk'),
        lapsed_high_value: tagName.default('lapsed:high-value'),
        lapsed_low_value: tagName.default('lapsed:low-value'),
        suppressed: tagName.default('suppressed'),
        reactivate: tagName.default('reactivate'),
        /** Marks held-out customers (they keep every other tag). */
        holdout: tagName.default('tiersync:holdout'),
      })
      .prefault({}),
    klaviyo: z
      .strictObject({
        property_prefix: z.string().regex(/^[A-Za-z0-9_]*$/, 'letters, digits and _ only').default('tiersync_'),
        /** Only update profiles that already exist (Klaviyo bills by active profile). */
        update_existing_only: z.boolean().default(false),
        /**
         * Read tiersync's profile properties back in full every this many days (0: every run), so
         * that properties lost or changed in Klaviyo are put back; `sync --full` reads them anyway.
         */
        full_observation_days: days.default(7),
        lists: z
          .strictObject({
            at_risk: listName.nullable().default('tiersync: At Risk'),
            lapsed_high_value: listName.nullable().default('tiersync: Lapsed High-Value'),
            lapsed_low_value: listName.nullable().default('tiersync: Lapsed Low-Value'),
            reactivate: listName.nullable().default('tiersync: Reactivate'),
            suppressed: listName.nullable().default('tiersync: Suppressed'),
            /** Every held-out customer, so that campaigns to other lists can exclude them. */
            holdout: listName.nullable().default('tiersync: Holdout'),
            /** Customers not eligible for a channel (see `channels`), to exclude from its sends and audiences. */
            suppress_sms: listName.nullable().default('tiersync: Suppress SMS'),
            suppress_push: listName.nullable().default('tiersync: Suppress Push'),
            suppress_paid_social: listName.nullable().default('tiersync: Suppress Paid Social'),
          })
          .prefault({}),
      })
      .prefault({}),
    shopify: z
      .strictObject({
        metafield_namespace: z.string().min(3).max(255).default('tiersync'),
      })
      .prefault({}),
    health: z
      .strictObject({
        top_revenue_share_min: share.default(0.6),
        top_revenue_share_max: share.default(0.8),
        min_segment_size: z.number().int().min(0).default(100),
        max_segment_share: share.default(0.6),
        /** Healthy migration bands between two runs (docs/DESIGN.md "Health checks"). */
        mid_up_min: z.number().min(0).max(1).default(0.05),
        mid_up_max: z.number().min(0).max(1).default(0.1),
        low_up_min: z.number().min(0).max(1).default(0.02),
        low_up_max: z.number().min(0).max(1).default(0.05),
        top_down_max: z.number().min(0).max(1).default(0.03),
        champion_stickiness_min: z.number().min(0).max(1).default(0.8),
        /** Runs closer than this are compared without judging the (monthly) bands. */
        migration_min_days: z.number().int().min(0).default(28),
      })
      .prefault({}),
    holdout: z
      .strictObject({
        /** Share of every segment held out of the action lists (tier lists, At Risk, Reactivate, Lapsed); 0 turns holdouts off. */
        share: z.number().min(0, 'must be ≥ 0 (0 turns holdouts off)').max(0.5, 'must be ≤ 0.5 (a holdout larger than the treated group)').default(0.1),
        /** `lift` draws no interval for a segment with fewer treated or held-out customers than this. */
        lift_min_customers: z.number().int().min(2, 'must be ≥ 2 (a variance needs two customers)').default(30),
      })
      .prefault({}),
    channels: z
      .strictObject({
        email: channelRule({ exclude_suppressed: true }),
        sms: channelRule({ only_if_active_tiers: ['low_value'] }),
        push: channelRule({ only_if_active_tiers: ['low_value'] }),
        paid_social: channelRule({ inactive_cutoff_days: 180 }),
      })
      .prefault({}),
    guard: z
      .strictObject({
        /** A plan changing more than this share of customers stops unless forced. */
        max_changed_share: share.default(0.3),
      })
      .prefault({}),
    activation: activationSchema,
    playbook: playbookSchema,
  })
  .superRefine((config, ctx) => {
    const tierIds = new Set<string>();
    config.tiers.forEach((tier, index) => {
      if (tierIds.has(tier.id)) ctx.addIssue({ code: 'custom', path: ['tiers', index, 'id'], message: `duplicate tier id "${tier.id}"` });
      tierIds.add(tier.id);
      const previous = config.tiers[index - 1];
      if (previous && tier.cumulative_share <= previous.cumulative_share) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', index, 'cumulative_share'],
          message: `must be greater than the tier above (${previous.id}: ${previous.cumulative_share}); shares are cumulative, top tier first`,
        });
      }
    });
    const last = config.tiers.at(-1);
    if (last && last.cumulative_share !== 1) {
      ctx.addIssue({ code: 'custom', path: ['tiers', config.tiers.length - 1, 'cumulative_share'], message: 'the last tier must reach 1 (every mature customer gets a tier)' });
    }
    if (tierIds.has('new')) ctx.addIssue({ code: 'custom', path: ['tiers'], message: '"new" is reserved for the new-customer tier (configure it under new_tier)' });
    const checkRefs = (ids: readonly string[], path: (string | number)[]) =>
      ids.forEach((id, index) => {
        if (!tierIds.has(id)) ctx.addIssue({ code: 'custom', path: [...path, index], message: `unknown tier "${id}"; tiers are: ${[...tierIds].join(', ')}` });
      });
    checkRefs(config.churn.at_risk_tiers, ['churn', 'at_risk_tiers']);
    checkRefs(config.churn.declining_tiers, ['churn', 'declining_tiers']);
    const segmentIds = new Set([...tierIds, 'new']);
    for (const [channel, rule] of Object.entries(config.channels)) {
      for (const key of ['excluded_tiers', 'only_if_active_tiers'] as const) {
        rule[key].forEach((id, index) => {
          if (!segmentIds.has(id)) ctx.addIssue({ code: 'custom', path: ['channels', channel, key, index], message: `unknown tier "${id}"; tiers are: ${[...segmentIds].join(', ')}` });
        });
      }
    }
    if (config.strict_vip.enabled) checkRefs([config.strict_vip.tier], ['strict_vip', 'tier']);
    config.recency_buckets.forEach((bucket, index) => {
      const isLast = index === config.recency_buckets.length - 1;
      if (isLast !== (bucket.max_days === null)) {
        ctx.addIssue({ code: 'custom', path: ['recency_buckets', index, 'max_days'], message: isLast ? 'the last bucket must be open (null)' : 'only the last bucket may be open (null)' });
      }
      const previous = config.recency_buckets[index - 1];
      if (previous?.max_days != null && bucket.max_days !== null && bucket.max_days <= previous.max_days) {
        ctx.addIssue({ code: 'custom', path: ['recency_buckets', index, 'max_days'], message: `must be greater than ${previous.max_days} (the bucket above)` });
      }
    });
    if (config.health.top_revenue_share_min > config.health.top_revenue_share_max) {
      ctx.addIssue({ code: 'custom', path: ['health', 'top_revenue_share_min'], message: 'must be ≤ top_revenue_share_max' });
    }
    const allTags = [...config.tiers.map((t) => t.tag), config.new_tier.tag, ...config.recency_buckets.map((b) => b.tag), ...Object.values(config.tags)];
    const seen = new Set<string>();
    for (const tag of allTags) {
      if (seen.has(tag.toLowerCase())) ctx.addIssue({ code: 'custom', path: ['tags'], message: `tag "${tag}" is used twice; every managed tag must be distinct` });
      seen.add(tag.toLowerCase());
    }
  });

export type Config = z.output<typeof configSchema>;
export type TierConfig = Config['tiers'][number];
