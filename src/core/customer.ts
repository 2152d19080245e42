/**
 * A Shopify customer as tiersync observes it: read from the Admin API, kept in the store,
 * compared by reconcile. One shape for all three.
 */
export interface ObservedCustomer {
  /** `gid://shopify/Customer/<id>`. */
  readonly id: string;
  readonly email: string | null;
  /** Every tag the customer had when read, the merchant's own included. */
  readonly tags: readonly string[];
  /** Shopify's own `statistics.rfmGroup` (`CHAMPIONS`, `AT_RISK`, ...), kept for comparison in the report. */
  readonly rfmGroup: string | null;
  /** Shopify's own `statistics.predictedSpendTier` (`HIGH`, `MEDIUM`, `LOW`). */
  readonly predictedSpendTier: string | null;
  /** The customer's `updatedAt` in Shopify, epoch ms UTC, as of the last read that changed another of these fields. */
  readonly updatedAt: number;
}
