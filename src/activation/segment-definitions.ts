import type { Config } from '../config/schema.ts';
import { NEW_TIER } from '../core/segment.ts';
import type { MetafieldValue } from '../reconcile/desired.ts';
import type { OverlayKey } from '../reconcile/managed.ts';
import { TIERSYNC_METAFIELD_KEYS, type TiersyncMetafieldKey } from '../reconcile/metafield-keys.ts';

/** One of tiersync's segments: a tier, `new`, or an overlay. */
export interface ActivationSegment {
  /** Tier id, `new`, or an overlay key. */
  readonly key: string;
  readonly kind: 'tier' | 'overlay';
  readonly label: string;
  readonly tag: string;
  /** The Klaviyo list tiersync keeps for it, or null (an overlay whose list is switched off). */
  readonly list: string | null;
  /** The name of its native segment on both platforms. */
  readonly segmentName: string;
  /** Shopify segment query on tiersync's tag; null when the tag cannot be quoted in one. */
  readonly shopifyQuery: string | null;
  readonly klaviyoDefinition: KlaviyoSegmentDefinition;
  /** Days without an order from which a reactivation is due (tiers), else null. */
  readonly reactivationDays: number | null;
}

export interface KlaviyoSegmentDefinition {
  readonly condition_groups: { readonly conditions: readonly KlaviyoPropertyCondition[] }[];
}

export interface KlaviyoPropertyCondition {
  readonly type: 'profile-property';
  readonly property: string;
  readonly filter: { readonly type: 'string'; readonly operator: 'equals'; readonly value: string } | { readonly type: 'boolean'; readonly operator: 'equals'; readonly value: boolean };
}

export interface MetafieldDefinitionSpec {
  readonly namespace: string;
  readonly key: string;
  readonly type: MetafieldValue['type'];
  readonly name: string;
  readonly description: string;
  /** Admin filtering is offered for text definitions only (numbers are refused by the API; see shopify/operations/metafield-definitions.ts). */
  readonly adminFilterable: boolean;
}

export const OVERLAY_LABELS: Readonly<Record<OverlayKey, string>> = {
  at_risk: 'At Risk',
  lapsed_high_value: 'Lapsed High-Value',
  lapsed_low_value: 'Lapsed Low-Value',
  reactivate: 'Reactivate',
  suppressed: 'Suppressed',
};

/**
 * tiersync's segments in display order (tiers top first, `new`, then the overlays), each with
 * the names and definitions of its native segments. Pure: from the config alone.
 *
 * @example
 * activationSegments(config).find((s) => s.key === 'vip');
 * // { segmentName: 'tiersync: VIP', shopifyQuery: "customer_tags CONTAINS 'ltv:vip'", ... }
 */
export function activationSegments(config: Config): ActivationSegment[] {
  const p = config.klaviyo.property_prefix;
  const property = (name: string) => `properties['${p}${name}']`;
  const equalsText = (name: string, value: string): KlaviyoSegmentDefinition => ({
    condition_groups: [{ conditions: [{ type: 'profile-property', property: property(name), filter: { type: 'string', operator: 'equals', value } }] }],
  });
  const isTrue = (name: string): KlaviyoSegmentDefinition => ({
    condition_groups: [{ conditions: [{ type: 'profile-property', property: property(name), filter: { type: 'boolean', operator: 'equals', value: true } }] }],
  });
  const make = (key: string, kind: ActivationSegment['kind'], label: string, tag: string, list: string | null, definition: KlaviyoSegmentDefinition, reactivationDays: number | null): ActivationSegment => ({
    key,
    kind,
    label,
    tag,
    list,
    segmentName: config.activation.segment_names[key] ?? list ?? `tiersync: ${label}`,
    // Segment queries quote values with ' (shopify.dev/docs/api/shopifyql/segment-query-language-reference); no escape is documented.
    shopifyQuery: tag.includes("'") ? null : `customer_tags CONTAINS '${tag}'`,
    klaviyoDefinition: definition,
    reactivationDays,
  });
  const overlayDefinitions: Record<OverlayKey, KlaviyoSegmentDefinition> = {
    at_risk: isTrue('at_risk'),
    lapsed_high_value: equalsText('lapsed', 'high_value'),
    lapsed_low_value: equalsText('lapsed', 'low_value'),
    reactivate: isTrue('reactivation_due'),
    suppressed: isTrue('suppressed'),
  };
  return [
    ...config.tiers.map((tier) => make(tier.id, 'tier', tier.label, tier.tag, tier.list, equalsText('tier', tier.id), tier.reactivation_days)),
    make(NEW_TIER, 'tier', config.new_tier.label, config.new_tier.tag, config.new_tier.list, equalsText('tier', NEW_TIER), null),
    ...(Object.keys(OVERLAY_LABELS) as OverlayKey[]).map((key) =>
      make(key, 'overlay', OVERLAY_LABELS[key], config.tags[key], config.klaviyo.lists[key], overlayDefinitions[key], null),
    ),
  ];
}

/**
 * The definitions of tiersync's customer metafields (the keys of reconcile/desired.ts), typed,
 * named and described from the config.
 *
 * @example
 * metafieldDefinitionSpecs(config)[0]; // { namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', name: 'tiersync tier', ... }
 */
export function metafieldDefinitionSpecs(config: Config): MetafieldDefinitionSpec[] {
  // The types desiredCustomer writes (reconcile/desired.ts); a new metafield key fails to type-check here until it is defined.
  const types: Record<TiersyncMetafieldKey, MetafieldValue['type']> = {
    tier: 'single_line_text_field',
    ltv: 'number_decimal',
    churn_risk: 'number_integer',
    rfm: 'single_line_text_field',
    rfm_segment: 'single_line_text_field',
    frequency_trend: 'single_line_text_field',
    predicted_clv: 'number_decimal',
  };
  return TIERSYNC_METAFIELD_KEYS.map((key) => ({
    namespace: config.shopify.metafield_namespace,
    key,
    type: types[key],
    name: config.activation.metafields[key].name,
    description: config.activation.metafields[key].description,
    adminFilterable: types[key] === 'single_line_text_field',
  }));
}
