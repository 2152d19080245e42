import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import { CUSTOMER_NODE_COST, customerFields, customerFromNode, customerNodeSchema, type ShopifyCustomer } from '../customer-node.ts';

const OPERATION = 'customers page';

/**
 * As many customers a page as fit a 900-point budget (the 1,000-point ceiling of a single query,
 * with room): the connection costs 2, pageInfo 1, each node CUSTOMER_NODE_COST (itself,
 * defaultEmailAddress, statistics, one a metafield), so 89 with seven metafields.
 * https://shopify.dev/docs/api/usage/limits#cost-calculation
 */
export const CUSTOMERS_PAGE_SIZE = Math.floor((900 - 3) / CUSTOMER_NODE_COST);
const CUSTOMERS_PAGE_COST = 2 + CUSTOMERS_PAGE_SIZE * CUSTOMER_NODE_COST + 1;

/** @example customersPageQuery('tiersync'); // 'query CustomersPage($after: String) { customers(first: 100, …' */
export function customersPageQuery(metafieldNamespace: string): string {
  return `query CustomersPage($after: String) {
  customers(first: ${CUSTOMERS_PAGE_SIZE}, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${customerFields(metafieldNamespace)}
    }
  }
}`;
}

const pageSchema = z.object({
  customers: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(customerNodeSchema),
  }),
});

export interface FetchCustomersDeps {
  readonly client: ShopifyClient;
  /** tiersync's metafield namespace (config `shopify.metafield_namespace`); default `tiersync`. */
  readonly metafieldNamespace?: string;
}

/**
 * Reads every customer with tags, Shopify's RFM statistics and tiersync's metafields, page by page (small stores;
 * `runCustomersBulkQuery` for large ones).
 *
 * @example
 * const readCustomers = fetchCustomers({ client });
 * const count = await readCustomers((customer) => observed.set(customer.id, customer.tags));
 */
export function fetchCustomers(deps: FetchCustomersDeps) {
  const document = customersPageQuery(deps.metafieldNamespace ?? 'tiersync');
  return async function readAllCustomers(onCustomer: (customer: ShopifyCustomer) => void | Promise<void>): Promise<number> {
    let after: string | null = null;
    let count = 0;
    do {
      const { customers }: z.infer<typeof pageSchema> = await deps.client.request({
        operation: OPERATION,
        document,
        variables: { after },
        estimatedCost: CUSTOMERS_PAGE_COST,
        data: pageSchema,
      });
      for (const node of customers.nodes) {
        await onCustomer(customerFromNode(node));
        count++;
      }
      after = customers.pageInfo.hasNextPage ? customers.pageInfo.endCursor : null;
    } while (after !== null);
    return count;
  };
}
