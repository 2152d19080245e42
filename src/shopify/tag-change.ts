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

/**
 * Classifies a mutation's userErrors for one customer. Shopify's messages are the only signal
 * (tagsAdd/tagsRemove userErrors carry no code), so they are matched by wording.
 *
 * @example
 * tagOutcome(['Customer does not exist']) // 'not-found'
 */
export function tagOutcome(messages: readonly string[]): TagOutcome {
  if (messages.length === 0) return 'applied';
  const text = messages.join(' ');
  if (/not (be )?found|does not exist|doesn't exist|could ?n[o']t find|invalid id/i.test(text)) return 'not-found';
  if (/\b250\b|tag limit|too many tags|maximum number of tags|exceed/i.test(text)) return 'tag-limit';
  return 'rejected';
}
