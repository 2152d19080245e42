/**
 * The bulk query tiersync runs for the first pull: every order processed since `since`, with
 * its customer and line items. Shopify writes the result as JSONL, one object per order and
 * one per line item carrying `__parentId` (the order's id).
 * https://shopify.dev/docs/api/usage/bulk-operations/queries
 *
 * `Customer.email` is deprecated in 2026-07; `defaultEmailAddress.emailAddress` replaces it.
 *
 * @example
 * ordersBulkQuery(new Date('2024-11-25T00:00:00Z'))
 */
export function ordersBulkQuery(since: Date): string {
  return `{
  orders(query: "processed_at:>='${since.toISOString()}'", sortKey: PROCESSED_AT) {
    edges {
      node {
        ${ORDER_FIELDS}
        lineItems {
          edges {
            node {
              id
              quantity
              product { productType }
            }
          }
        }
      }
    }
  }
}`;
}

/** The order fields tiersync reads, shared by the bulk query and the incremental page query. */
export const ORDER_FIELDS = `id
        name
        email
        processedAt
        createdAt
        updatedAt
        cancelledAt
        test
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        customer { id defaultEmailAddress { emailAddress } }`;
