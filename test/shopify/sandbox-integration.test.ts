import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkJoin } from './helpers/bulk-join.ts';
import { parseMoneyToMinorUnits } from '../../src/core/money.ts';
import type { Order } from '../../src/core/order.ts';
import type { ShopifySandboxState } from '../../src/sandbox/shopify/server.ts';
import { addTags } from '../../src/shopify/operations/add-tags.ts';
import { fetchCustomers } from '../../src/shopify/operations/fetch-customers.ts';
import { fetchOrdersUpdatedSince } from '../../src/shopify/operations/fetch-orders-updated-since.ts';
import { removeTags } from '../../src/shopify/operations/remove-tags.ts';
import { runBulkTagMutation } from '../../src/shopify/operations/run-bulk-tag-mutation.ts';
import { runCustomersBulkQuery } from '../../src/shopify/operations/run-customers-bulk-query.ts';
import { runOrdersBulkQuery } from '../../src/shopify/operations/run-orders-bulk-query.ts';
import { setMetafields } from '../../src/shopify/operations/set-metafields.ts';
import { writeTagChanges } from '../../src/shopify/operations/write-tag-changes.ts';
import { runBulkMetafieldsSet } from '../../src/shopify/operations/run-bulk-metafields-set.ts';
import type { ShopifyCustomer } from '../../src/shopify/customer-node.ts';
import type { SynthOrder } from '../../src/synth/types.ts';
import { FAST_POLL, startShopifySandbox } from './helpers/shopify-sandbox.ts';
import { z } from 'zod';

type Started = Awaited<ReturnType<typeof startShopifySandbox>>;
const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;

async function stateOf(baseUrl: string): Promise<ShopifySandboxState> {
  const response = await fetch(`${baseUrl}/__sandbox/state`);
  return (await response.json()) as ShopifySandboxState;
}

/** Revenue per customer GID from the sandbox state, in cents, computed from its decimal strings. */
function sumsFromState(state: ShopifySandboxState): Map<string, number> {
  const sums = new Map<string, number>();
  for (const order of state.orders) {
    const key = order.customer_id === null ? 'guest' : gid('Customer', order.customer_id);
    sums.set(key, (sums.get(key) ?? 0) + (parseMoneyToMinorUnits(order.current_total, 'USD') ?? NaN));
  }
  return sums;
}

function sumsFromOrders(orders: readonly Order[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const order of orders) sums.set(order.customerId ?? 'guest', (sums.get(order.customerId ?? 'guest') ?? 0) + order.totalCents);
  return sums;
}

async function pullAll(shop: Started): Promise<Order[]> {
  const orders: Order[] = [];
  await runOrdersBulkQuery({ client: shop.client, poll: FAST_POLL })({ ...bulkJoin(),
    since: new Date(shop.asOf.getTime() - 800 * 24 * 3600 * 1000),
    onOrder: (order) => void orders.push(order),
  });
  return orders;
}

describe('Shopify connector against the sandbox', () => {
  let shop: Started;
  beforeAll(async () => {
    shop = await startShopifySandbox({ customers: 150, seed: 11 });
  });
  afterAll(async () => {
    await shop.close();
  });

  it('a full bulk pull equals the shop: same orders, totals, flags and per-customer sums', async () => {
    const orders = await pullAll(shop);
    const state = await stateOf(shop.baseUrl);
    expect(orders.length).toBe(state.orders.length);
    expect(new Set(orders.map((order) => order.id)).size).toBe(orders.length);
    const byId = new Map(orders.map((order) => [order.id, order]));
    for (const expected of state.orders) {
      const order = byId.get(gid('Order', expected.id));
      expect(order, expected.id).toBeDefined();
      expect(order?.cancelled).toBe(expected.cancelled_at !== null);
      expect(order?.test).toBe(expected.test);
      expect(order?.processedAt).toBe(Date.parse(expected.processed_at));
    }
    expect(sumsFromOrders(orders)).toEqual(sumsFromState(state));
    const lines = shop.records.flatMap((record) => (record.kind === 'customer' ? record.orders : [record.order])).reduce((n, order) => n + order.lines.length, 0);
    expect(orders.reduce((n, order) => n + order.lines.length, 0)).toBe(lines);
  });

  it('a pull that crashed right after starting its bulk query resumes that operation and gets every order', async () => {
    const pull = runOrdersBulkQuery({ client: shop.client, poll: FAST_POLL });
    const since = new Date(shop.asOf.getTime() - 800 * 24 * 3600 * 1000);
    let journaled: string | undefined;
    const crash = await pull({
      ...bulkJoin(),
      since,
      onOperationId: (id) => {
        journaled = id;
        throw new Error('simulated crash');
      },
      onOrder: () => undefined,
    }).catch((error: unknown) => error);
    expect((crash as Error).message).toBe('simulated crash');
    const orders: Order[] = [];
    const summary = await pull({ ...bulkJoin(), since, resumeOperationId: journaled, onOrder: (order) => void orders.push(order) });
    expect(summary.operationId).toBe(journaled);
    expect(orders.length).toBe((await stateOf(shop.baseUrl)).orders.length);
  });

  it('an incremental pull after a refund, a cancellation and a new order picks up exactly those', async () => {
    const state = await stateOf(shop.baseUrl);
    const [refunded, cancelled] = state.orders.filter((order) => order.cancelled_at === null && order.customer_id !== null && order.current_total !== '0.00');
    const cursor = new Date(Date.now() - 1000);
    shop.sandbox.mutateOrder(refunded!.id, { refund: '1.00' });
    shop.sandbox.mutateOrder(cancelled!.id, { cancel: true });
    const template = shop.records.find((record) => record.kind === 'customer' && record.orders.length > 0);
    if (template?.kind !== 'customer') throw new Error('the generated shop has no customer with orders');
    const base = template.orders[0] as SynthOrder;
    const nowIso = new Date().toISOString();
    const added: SynthOrder = { ...base, id: '5999999999', name: '#99999', createdAt: nowIso, processedAt: nowIso, updatedAt: nowIso, totalPrice: '42.50', totalRefunded: '0.00', currentTotalPrice: '42.50', cancelledAt: null, test: false };
    shop.sandbox.addOrder(added);

    const seen: Order[] = [];
    const summary = await fetchOrdersUpdatedSince({ client: shop.client })({ since: cursor, onOrder: (order) => void seen.push(order) });
    expect(seen.map((order) => order.id).sort()).toEqual([gid('Order', refunded!.id), gid('Order', cancelled!.id), gid('Order', added.id)].sort());
    const byId = new Map(seen.map((order) => [order.id, order]));
    expect(byId.get(gid('Order', refunded!.id))?.totalCents).toBe((parseMoneyToMinorUnits(refunded!.current_total, 'USD') ?? 0) - 100);
    expect(byId.get(gid('Order', cancelled!.id))?.cancelled).toBe(true);
    expect(byId.get(gid('Order', added.id))?.totalCents).toBe(4250);
    expect(summary.cursor.getTime()).toBeGreaterThan(cursor.getTime());
  });

  it('tag writes show in the sandbox state; merchant tags stay; a deleted customer and one at 250 tags are reported', async () => {
    const before = await stateOf(shop.baseUrl);
    const targets = before.customers.slice(0, 6);
    const atLimit = before.customers[6]!;
    const filler = Array.from({ length: 250 - atLimit.tags.length }, (_, i) => `filler-${i}`);
    const fill = await addTags({ client: shop.client })([{ customerId: gid('Customer', atLimit.id), tags: filler }]);
    expect(fill[0]?.outcome).toBe('applied');

    const changes = [
      ...targets.map((customer) => ({ customerId: gid('Customer', customer.id), tags: ['ltv:vip', 'rfm:active'] })),
      { customerId: gid('Customer', '7199999999'), tags: ['ltv:vip'] },
      { customerId: gid('Customer', atLimit.id), tags: ['ltv:vip'] },
    ];
    const results = await addTags({ client: shop.client })(changes);
    expect(results.map((result) => result.outcome)).toEqual([...targets.map(() => 'applied'), 'not-found', 'tag-limit']);

    const after = await stateOf(shop.baseUrl);
    for (const customer of targets) {
      const tags = after.customers.find((row) => row.id === customer.id)?.tags ?? [];
      expect(tags).toEqual(expect.arrayContaining(['ltv:vip', 'rfm:active', ...customer.tags]));
    }

    await removeTags({ client: shop.client })(targets.map((customer) => ({ customerId: gid('Customer', customer.id), tags: ['rfm:active'] })));
    const removed = await stateOf(shop.baseUrl);
    for (const customer of targets) {
      const tags = removed.customers.find((row) => row.id === customer.id)?.tags ?? [];
      expect(tags).toContain('ltv:vip');
      expect(tags).not.toContain('rfm:active');
    }
  });

  it('the bulk tag mutation lands every change and reports a deleted customer', async () => {
    const before = await stateOf(shop.baseUrl);
    const targets = before.customers.slice(20, 120);
    const changes = [...targets.map((customer) => ({ customerId: gid('Customer', customer.id), tags: ['ltv:mid-tier'] })), { customerId: gid('Customer', '7199999998'), tags: ['ltv:mid-tier'] }];
    const { results } = await runBulkTagMutation({ client: shop.client, poll: FAST_POLL })({ mutation: 'tagsAdd', changes });
    expect(results.filter((result) => result.outcome === 'applied')).toHaveLength(targets.length);
    expect(results.at(-1)?.outcome).toBe('not-found');
    const after = await stateOf(shop.baseUrl);
    const tagged = after.customers.filter((customer) => customer.tags.includes('ltv:mid-tier')).map((customer) => customer.id);
    expect(tagged.sort()).toEqual(targets.map((customer) => customer.id).sort());
  });

  it('customers read by pages and by bulk query agree with the sandbox, statistics included', async () => {
    const paged: ShopifyCustomer[] = [];
    await fetchCustomers({ client: shop.client })((customer) => void paged.push(customer));
    const bulk: ShopifyCustomer[] = [];
    await runCustomersBulkQuery({ client: shop.client, poll: FAST_POLL })({ onCustomer: (customer) => void bulk.push(customer) });
    const state = await stateOf(shop.baseUrl);
    const expected = state.customers.map((customer) => ({ id: gid('Customer', customer.id), email: customer.email, tags: customer.tags }));
    const pick = (customers: ShopifyCustomer[]) => customers.map(({ id, email, tags }) => ({ id, email, tags })).sort((a, b) => a.id.localeCompare(b.id));
    expect(pick(paged)).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
    expect(pick(bulk)).toEqual(pick(paged));
  });

  it('metafields are written in the tiersync namespace', async () => {
    const state = await stateOf(shop.baseUrl);
    const owners = state.customers.slice(0, 30).map((customer) => gid('Customer', customer.id));
    const results = await setMetafields({ client: shop.client })(owners.map((ownerId, i) => ({ ownerId, key: 'churn_risk', type: 'number_integer', value: String(i) })));
    expect(results.every((result) => result.outcome === 'applied')).toBe(true);
    const read = await shop.client.request({
      operation: 'read metafield',
      document: 'query ($id: ID!) { customer(id: $id) { metafield(namespace: "tiersync", key: "churn_risk") { value } } }',
      variables: { id: owners[7] },
      estimatedCost: 2,
      data: z.object({ customer: z.object({ metafield: z.object({ value: z.string() }).nullable() }) }),
    });
    expect(read.customer.metafield?.value).toBe('7');
  });

  it('writeTagChanges takes the aliased path below the threshold and the bulk path from it on', async () => {
    const state = await stateOf(shop.baseUrl);
    const write = writeTagChanges({ client: shop.client, poll: FAST_POLL });
    const few = state.customers.slice(130, 134).map((customer) => ({ customerId: gid('Customer', customer.id), tags: ['lapsed:low-value'] }));
    const many = state.customers.slice(134, 139).map((customer) => ({ customerId: gid('Customer', customer.id), tags: ['lapsed:low-value'] }));
    const ids: string[] = [];
    const small = await write({ mutation: 'tagsAdd', changes: few, bulkThreshold: 5 });
    const large = await write({ mutation: 'tagsAdd', changes: many, bulkThreshold: 5, onBulkOperationId: (id) => void ids.push(id) });
    expect([small.path, large.path]).toEqual(['aliased', 'bulk']);
    expect(ids).toHaveLength(1);
    const after = await stateOf(shop.baseUrl);
    const tagged = after.customers.filter((customer) => customer.tags.includes('lapsed:low-value')).map((customer) => gid('Customer', customer.id));
    expect(tagged.sort()).toEqual([...few, ...many].map((change) => change.customerId).sort());
  });

  it('the bulk metafields path writes each customer\'s metafields and rejects a deleted customer\'s alone', async () => {
    const state = await stateOf(shop.baseUrl);
    const owners = state.customers.slice(40, 45).map((customer) => gid('Customer', customer.id));
    const deleted = gid('Customer', '7199999997');
    const values = [...owners, deleted].flatMap((ownerId, i) => [
      { ownerId, key: 'tier', type: 'single_line_text_field', value: i % 2 === 0 ? 'vip' : 'mid_tier' },
      { ownerId, key: 'ltv', type: 'number_decimal', value: `${100 + i}.25` },
    ]);
    const { results } = await runBulkMetafieldsSet({ client: shop.client, poll: FAST_POLL })({ values });
    expect(results.filter((result) => result.outcome === 'applied')).toHaveLength(owners.length * 2);
    expect(results.filter((result) => result.outcome === 'rejected').map((result) => result.ownerId)).toEqual([deleted, deleted]);
    const read = await shop.client.request({
      operation: 'read metafield',
      document: 'query ($id: ID!) { customer(id: $id) { metafield(namespace: "tiersync", key: "ltv") { value } } }',
      variables: { id: owners[3] },
      estimatedCost: 2,
      data: z.object({ customer: z.object({ metafield: z.object({ value: z.string() }).nullable() }) }),
    });
    expect(read.customer.metafield?.value).toBe('103.25');
  });
});
