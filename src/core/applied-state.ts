/** A Klaviyo profile property value as tiersync writes it. */
export type PropertyValue = string | number | boolean | null;

/**
 * What tiersync last applied to one customer, as confirmed by the APIs: the store keeps it,
 * reconcile compares against it (a managed tag or member that differs from it is drift).
 */
export interface AppliedState {
  /** Managed Shopify tags tiersync added and has not removed. */
  readonly tags: readonly string[];
  /** `tiersync` customer metafields as last set, key → value (absent in states written before metafields were recorded). */
  readonly metafields?: Readonly<Record<string, string>>;
  /** Klaviyo profile properties as last upserted. */
  readonly properties: Readonly<Record<string, PropertyValue>>;
  /** Managed Klaviyo lists (by name) the profile was added to. */
  readonly lists: readonly string[];
  /** The (lower-cased) email of the Klaviyo profile tiersync last wrote, to clean it up when the customer leaves. */
  readonly email?: string;
}
