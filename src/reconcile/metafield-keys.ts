/**
 * The keys of tiersync's customer metafields (docs/DESIGN.md "Outputs"): what `desiredCustomer`
 * sets and what the Shopify read brings back every run, so that a metafield deleted or changed
 * in Shopify is seen and put back. One list for both, so a new metafield cannot be written
 * without being observed.
 */
export const TIERSYNC_METAFIELD_KEYS = ['tier', 'ltv', 'churn_risk', 'rfm', 'rfm_segment', 'frequency_trend', 'predicted_clv'] as const;

export type TiersyncMetafieldKey = (typeof TIERSYNC_METAFIELD_KEYS)[number];
