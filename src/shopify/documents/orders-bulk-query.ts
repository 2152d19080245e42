/**
 * The bulk query tiersync runs for the first pull: every order of the shop (or, with bounds,
 * those processed at or after `since` / before `before`), with its customer and line items.
 * Shopify writes the result as JSONL, one object per order and one per line item carrying
 * `__parentId` (the order's id). A bulk query costs no rate-limit points, so the whole
 * history is as cheap as a window. https://shopify.dev/docs/api/usage/bulk-operations/queries
 *
 * `Customer.email` is deprecated in 2026-07; `defaultEmailAddress.emailAddress` replaces it.
 *
 * @example
 * ordersBulkQuery() // the whole history
 * ordersBulkQuery({ before: new Date('2024-11-25T00:00:00Z') }) // what a 730-day pull left out
 */
export function ordersBulkQuery(range: { readonly since?: Date; readonly before?: Date } = {}): string {
  const terms = [
    ...(range.since ? [`processed_at:>='${range.since.toISOString()}'`] : []),
    ...(range.before ? [`processed_at:<'${range.before.toISOString()}'`] : []),
  ];
  const query = terms.length ? `query: "${terms.join(' ')}", ` : '';
  return `{
  orders(${query}sortKey: PROCESSED_AT) {
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
