import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import { CUSTOMER_FIELDS, customerFromNode, customerNodeSchema, type ShopifyCustomer } from '../customer-node.ts';

const OPERATION = 'customers page';

/** 250 is the largest page; cost 2 + 250 × (node 1 + defaultEmailAddress 1 + statistics 1) + pageInfo 1 = 753. */
export const CUSTOMERS_PAGE_SIZE = 250;
const CUSTOMERS_PAGE_COST = 2 + CUSTOMERS_PAGE_SIZE * 3 + 1;

export const CUSTOMERS_PAGE_QUERY = `query CustomersPage($after: String) {
  customers(first: ${CUSTOMERS_PAGE_SIZE}, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      ${CUSTOMER_FIELDS}
    }
  }
}`;

const pageSchema = z.object({
  customers: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    nodes: z.array(customerNodeSchema),
  }),
});

export interface FetchCustomersDeps {
  readonly client: ShopifyClient;
}

/**
 * Reads every customer with tags and Shopify's RFM statistics, page by page (small stores;
 * `runCustomersBulkQuery` for large ones).
 *
 * @example
 * const readCustomers = fetchCustomers({ client });
 * const count = await readCustomers((customer) => observed.set(customer.id, customer.tags));
 */
export function fetchCustomers(deps: FetchCustomersDeps) {
  return async function readAllCustomers(onCustomer: (customer: ShopifyCustomer) => void | Promise<void>): Promise<number> {
    let after: string | null = null;
    let count = 0;
    do {
      const { customers }: z.infer<typeof pageSchema> = await deps.client.request({
        operation: OPERATION,
        document: CUSTOMERS_PAGE_QUERY,
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
