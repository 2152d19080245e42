/** One customer's tags to add or to remove. */
export interface TagChange {
  /** `gid://shopify/Customer/<id>`. */
  readonly customerId: string;
  readonly tags: readonly string[];
}

/**
 * What became of a change: applied; `not-found` (the customer was deleted); `tag-limit` (the
 * customer already has the 250 tags Shopify allows); `rejected` (any other user error).
 */
export type TagOutcome = 'applied' | 'not-found' | 'tag-limit' | 'rejected';

export interface TagChangeResult {
  readonly customerId: string;
  readonly tags: readonly string[];
  readonly outcome: TagOutcome;
  /** Shopify's userErrors messages, empty when applied. */
  readonly messages: readonly string[];
}

/** Shopify allows 250 tags a customer (docs/DESIGN.md "Outputs"). */
export const MAX_TAGS_PER_CUSTOMER = 250;
