import type { ShopifyClient } from '../shopify/client.ts';
import type { ShopifyCustomer } from '../shopify/customer-node.ts';
import { fetchCustomers } from '../shopify/operations/fetch-customers.ts';
import { runCustomersBulkQuery } from '../shopify/operations/run-customers-bulk-query.ts';
import type { Store } from '../store/open-store.ts';
import type { Progress } from './progress.ts';

/**
 * From this many known customers (or orders, on a first run) the tags are read with a bulk
 * query: paging costs a request per 250 customers under the cost budget, a bulk query a
 * handful of requests whatever the size.
 */
export const CUSTOMERS_BULK_READ_THRESHOLD = 5000;
export const CUSTOMERS_BULK_OPERATION = 'customers.bulk_operation';

const BATCH = 2000;

/**
 * Reads every Shopify customer with its tags and tiersync's metafields (the observed state of
 * both), stores them, and returns them by id. Paginated for small stores, a bulk query for large ones.
 *
 * @example
 * const observed = await pullCustomers({ store, shopify, progress, metafieldNamespace: 'tiersync' });
 */
export async function pullCustomers(deps: {
  store: Store;
  shopify: ShopifyClient;
  progress: Progress;
  /** tiersync's metafields are read with the customers (config `shopify.metafield_namespace`). */
  metafieldNamespace: string;
}): Promise<Map<string, ShopifyCustomer>> {
  const { store, shopify, progress, metafieldNamespace } = deps;
  const phase = progress.phase('read customers');
  const customers = new Map<string, ShopifyCustomer>();
  let batch: ShopifyCustomer[] = [];
  const onCustomer = (customer: ShopifyCustomer) => {
    customers.set(customer.id, customer);
    batch.push(customer);
    phase.tick();
    if (batch.length >= BATCH) {
      store.customers.upsertCustomers(batch);
      batch = [];
    }
  };
  const large = store.customers.countCustomers() >= CUSTOMERS_BULK_READ_THRESHOLD || store.orders.countOrders() >= CUSTOMERS_BULK_READ_THRESHOLD;
  if (large) {
    const resume = store.cursors.getCursor(CUSTOMERS_BULK_OPERATION) || undefined;
    await runCustomersBulkQuery({ client: shopify, metafieldNamespace })({
      resumeOperationId: resume,
      onOperationId: (id) => store.cursors.setCursor(CUSTOMERS_BULK_OPERATION, id),
      onCustomer,
    });
    store.cursors.setCursor(CUSTOMERS_BULK_OPERATION, '');
  } else {
    await fetchCustomers({ client: shopify, metafieldNamespace })(onCustomer);
  }
  if (batch.length) store.customers.upsertCustomers(batch);
  phase.done();
  return customers;
}
