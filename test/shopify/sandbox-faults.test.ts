import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkJoin } from './helpers/bulk-join.ts';
import type { Order } from '../../src/core/order.ts';
import { parseFaultSpec } from '../../src/sandbox/faults.ts';
import type { ShopifySandboxState } from '../../src/sandbox/shopify/server.ts';
import { addTags } from '../../src/shopify/operations/add-tags.ts';
import { runBulkTagMutation } from '../../src/shopify/operations/run-bulk-tag-mutation.ts';
import { runOrdersBulkQuery } from '../../src/shopify/operations/run-orders-bulk-query.ts';
import { fetchCustomers } from '../../src/shopify/operations/fetch-customers.ts';
import { FAST_POLL, startShopifySandbox } from './helpers/shopify-sandbox.ts';

type Started = Awaited<ReturnType<typeof startShopifySandbox>>;
const gid = (id: string) => `gid://shopify/Customer/${id}`;

describe('with faults on (5xx, resets, slow answers, 429s) everything lands exactly once', () => {
  let shop: Started;
  let initial: ShopifySandboxState;
  beforeAll(async () => {
    shop = await startShopifySandbox({ customers: 200, seed: 23, faults: parseFaultSpec('5xx=0.08,reset=0.05,slow=0.05:40ms,429=0.08') });
    initial = shop.sandbox.state();
  });
  afterAll(async () => {
    await shop.close();
  });

  it('the bulk pull hands over every order once', async () => {
    const orders: Order[] = [];
    await runOrdersBulkQuery({ client: shop.client, poll: FAST_POLL })({ ...bulkJoin(), since: new Date(0), onOrder: (order) => void orders.push(order) });
    expect(orders.length).toBe(initial.orders.length);
    expect(new Set(orders.map((order) => order.id)).size).toBe(initial.orders.length);
  });

  it('tag writes on both paths land, each tag added exactly once, with few THROTTLED', async () => {
    const aliased = initial.customers.slice(0, 120).map((customer) => ({ customerId: gid(customer.id), tags: ['ltv:champion'] }));
    const bulk = initial.customers.slice(120).map((customer) => ({ customerId: gid(customer.id), tags: ['ltv:low-value'] }));
    const aliasedResults = await addTags({ client: shop.client })(aliased);
    const { results: bulkResults } = await runBulkTagMutation({ client: shop.client, poll: FAST_POLL })({ mutation: 'tagsAdd', changes: bulk });
    expect([...aliasedResults, ...bulkResults].every((result) => result.outcome === 'applied')).toBe(true);

    const state = shop.sandbox.state();
    const stats = shop.sandbox.stats();
    expect(stats.writes.tags_added).toBe(aliased.length + bulk.length);
    const championIds = new Set(initial.customers.slice(0, 120).map((customer) => customer.id));
    for (const customer of state.customers) {
      const expected = championIds.has(customer.id) ? 'ltv:champion' : 'ltv:low-value';
      expect(customer.tags.filter((tag) => tag.startsWith('ltv:'))).toEqual([expected]);
    }
    // The faults did happen, and the client retried through them.
    expect(stats.faults['5xx'] + stats.faults.reset + stats.faults['429']).toBeGreaterThan(0);
    expect(shop.client.stats().retries).toBeGreaterThan(0);
    // Bucket throttles (not the injected 429s) stay a handful: the scheduler waits first.
    expect(stats.throttled).toBeLessThanOrEqual(5);
  });

  it('reading customers page by page survives the faults too', async () => {
    const ids: string[] = [];
    await fetchCustomers({ client: shop.client })((customer) => void ids.push(customer.id));
    expect(ids.sort()).toEqual(initial.customers.map((customer) => gid(customer.id)).sort());
  });
});
