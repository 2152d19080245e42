import type { Config } from '../config/schema.ts';
import { NEW_TIER } from '../core/segment.ts';

export type OverlayKey = 'at_risk' | 'lapsed_high_value' | 'lapsed_low_value' | 'suppressed' | 'reactivate';
/** A managed list other than a tier's: the overlays', the holdout's and the channel suppression lists. */
export type ListKey = keyof Config['klaviyo']['lists'];

/**
 * Every Shopify tag tiersync owns. Only these are ever added or removed; a merchant's other
 * tags are never touched. Compared case-insensitively, as Shopify does.
 */
export function managedTags(config: Config): Set<string> {
  return new Set(
    [...config.tiers.map((t) => t.tag), config.new_tier.tag, ...config.recency_buckets.map((b) => b.tag), ...Object.values(config.tags)].map(
      (tag) => tag.toLowerCase(),
    ),
  );
}

/** The Klaviyo lists tiersync owns, by name: one per tier (and `new`), one per configured overlay. */
export function managedLists(config: Config): { tiers: Map<string, string>; overlays: Map<ListKey, string> } {
  const tiers = new Map<string, string>([...config.tiers.map((t) => [t.id, t.list] as const), [NEW_TIER, config.new_tier.list]]);
  const overlays = new Map<ListKey, string>();
  for (const [key, name] of Object.entries(config.klaviyo.lists) as [ListKey, string | null][]) {
    if (name) overlays.set(key, name);
  }
  return { tiers, overlays };
}

/** All managed list names, sorted. */
export function managedListNames(config: Config): string[] {
  const { tiers, overlays } = managedLists(config);
  return [...new Set([...tiers.values(), ...overlays.values()])].sort();
}
