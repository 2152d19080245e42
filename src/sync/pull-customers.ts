import type { ShopifyClient } from '../shopify/client.ts';
import type { ShopifyCustomer } from '../shopify/customer-node.ts';
import { fetchCustomers } from '../shopify/operations/fetch-customers.ts';
import { runCustomersBulkQuery } from '../shopify/operations/run-customers-bulk-query.ts';
import type { Store } from '../store/open-store.ts';
import { bulkExportProgress } from './bulk-export-progress.ts';
import type { Progress } from './progress.ts';

/**
 * From this many known customers (or orders, on a first run) the tags are read with a bulk
 * query: paging costs a request per 250 customers under the cost budget, a bulk query a
 * handful of requests whatever the size.
 */
export const CUSTOMERS_BULK_READ_THRESHOLD = 5000;
export const CUSTOMERS_BULK_OPERATION = 'customers.bulk_operation';

const BATCH = 2000;
/** Stored customers compared against the ones read, per page, to forget those Shopify no longer lists. */
const FORGET_PAGE = 10_000;

/**
 * Reads every Shopify customer with its tags and tiersync's metafields (the observed state of
 * both) into the store,
 * which the plan then reads page by page; customers Shopify no longer lists (deleted) are
 * dropped from it. Paginated for small stores, a bulk query for large ones. Returns how many
 * customers Shopify listed.
 *
 * @example
 * const customers = await pullCustomers({ store, shopify, progress, metafieldNamespace: 'tiersync' });
 */
export async function pullCustomers(deps: {
  store: Store;
  shopify: ShopifyClient;
  progress: Progress;
  /** tiersync's metafields are read with the customers (config `shopify.metafield_namespace`). */
  metafieldNamespace: string;
}): Promise<number> {
  const { store, shopify, progress, metafieldNamespace } = deps;
  const phase = progress.phase('read customers', store.customers.countCustomers() || undefined);
  const seen = new Set<string>();
  let batch: ShopifyCustomer[] = [];
  const onCustomer = (customer: ShopifyCustomer) => {
    seen.add(customer.id);
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
    const exporting = bulkExportProgress(progress, 'export customers (Shopify bulk)');
    await runCustomersBulkQuery({ client: shopify, metafieldNamespace, poll: exporting.poll })({
      resumeOperationId: resume,
      onOperationId: (id) => store.cursors.setCursor(CUSTOMERS_BULK_OPERATION, id),
      onCustomer: (customer) => {
        exporting.finish();
        onCustomer(customer);
      },
    });
    exporting.finish();
    store.cursors.setCursor(CUSTOMERS_BULK_OPERATION, '');
  } else {
    await fetchCustomers({ client: shopify, metafieldNamespace })(onCustomer);
  }
  if (batch.length) store.customers.upsertCustomers(batch);
  const forgotten = forgetUnlisted(store, seen);
  phase.done(forgotten ? `${forgotten} no longer in Shopify` : undefined);
  return seen.size;
}

function forgetUnlisted(store: Store, seen: ReadonlySet<string>): number {
  const gone: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = store.customers.customersAfter(after, FORGET_PAGE);
    for (const customer of page) if (!seen.has(customer.id)) gone.push(customer.id);
    if (page.length < FORGET_PAGE) break;
    after = page[page.length - 1]!.id;
  }
  if (gone.length) store.customers.deleteCustomers(gone);
  return gone.length;
}
