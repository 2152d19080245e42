import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { runOrdersBulkQuery } from '../../src/shopify/operations/run-orders-bulk-query.ts';
import { bulkJoin } from './helpers/bulk-join.ts';
import { FAST_POLL, startShopifySandbox } from './helpers/shopify-sandbox.ts';

type Started = Awaited<ReturnType<typeof startShopifySandbox>>;
const OPERATIONS = '{ bulkOperations(first: 10) { nodes { id status errorCode url partialDataUrl rootObjectCount } } }';

async function graphql(shop: Started, query: string): Promise<any> {
  const response = await fetch(`${shop.baseUrl}/admin/api/2026-07/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'sandbox-shopify-admin-token-not-a-secret' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

async function pull(shop: Started, resumeOperationId?: string): Promise<{ orders: Order[]; operationId: string }> {
  const orders: Order[] = [];
  const summary = await runOrdersBulkQuery({ client: shop.client, poll: FAST_POLL })({
    ...bulkJoin(),
    ...(resumeOperationId ? { resumeOperationId } : {}),
    onOrder: (order) => void orders.push(order),
  });
  return { orders, operationId: summary.operationId };
}

describe('bulk operation lifecycle: the sandbox as Shopify documents it, and tiersync\'s answer', () => {
  let shop: Started | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });

  it('an export that ends FAILED with TIMEOUT (partial data only) is started again and every order arrives', async () => {
    shop = await startShopifySandbox({ customers: 200, seed: 5 });
    const total = shop.records.reduce((n, record) => n + (record.kind === 'customer' ? record.orders.length : 1), 0);
    shop.sandbox.failNextBulkOperation('QUERY', { errorCode: 'TIMEOUT', afterRootObjects: 1 });
    const { orders, operationId } = await pull(shop);
    expect(orders).toHaveLength(total);
    expect(new Set(orders.map((order) => order.id)).size).toBe(total);
    const listed = (await graphql(shop, OPERATIONS)).data.bulkOperations.nodes;
    // Newest first: the restart, then the one that failed after its first page (500 roots).
    expect(listed.map((node: any) => [node.status, node.errorCode])).toEqual([['COMPLETED', null], ['FAILED', 'TIMEOUT']]);
    expect(listed[0].id).toBe(operationId);
    expect(listed[1].partialDataUrl).toMatch(/\/__bulk\/\d+\.jsonl$/);
    expect(listed[1].url).toBeNull();
  });

  it('a start whose answer was lost is not sent twice: with one query at a time, tiersync adopts the running export', async () => {
    shop = await startShopifySandbox({ customers: 60, seed: 6, maxConcurrentBulkOperations: 1 });
    const total = shop.records.reduce((n, record) => n + (record.kind === 'customer' ? record.orders.length : 1), 0);
    shop.sandbox.loseNextAnswer('mutation bulkOperationRunQuery');
    const { orders, operationId } = await pull(shop);
    expect(orders).toHaveLength(total);
    const listed = (await graphql(shop, OPERATIONS)).data.bulkOperations.nodes;
    expect(listed.map((node: any) => node.id)).toEqual([operationId]);
    expect(shop.sandbox.stats().requests['mutation bulkOperationRunQuery']).toEqual({ '200': 1 });
  });

  it('at one bulk query at a time (as before API 2026-01), a second start is refused as OPERATION_IN_PROGRESS', async () => {
    shop = await startShopifySandbox({ customers: 20, seed: 7, maxConcurrentBulkOperations: 1, timeScale: 0.01 });
    const start = (query: string) => graphql(shop as Started, `mutation { bulkOperationRunQuery(query: ${JSON.stringify(query)}, groupObjects: false) { bulkOperation { id } userErrors { message code } } }`);
    const first = await start('{ customers { edges { node { id } } } }');
    const second = await start('{ orders { edges { node { id } } } }');
    expect(second.data.bulkOperationRunQuery.userErrors).toEqual([
      { message: `A bulk query operation for this app and shop is already in progress: ${first.data.bulkOperationRunQuery.bulkOperation.id}.`, code: 'OPERATION_IN_PROGRESS' },
    ]);
  });

  it('a result URL expires a week after completion (EXPIRED); resuming that export starts a new one', async () => {
    let offsetMs = 0;
    shop = await startShopifySandbox({ customers: 40, seed: 8, now: () => Date.now() + offsetMs });
    const total = shop.records.reduce((n, record) => n + (record.kind === 'customer' ? record.orders.length : 1), 0);
    const first = await pull(shop);
    offsetMs = 7 * 86_400_000 + 1_000;
    const expired = (await graphql(shop, `{ bulkOperation(id: "${first.operationId}") { status url } }`)).data.bulkOperation;
    expect(expired).toEqual({ status: 'EXPIRED', url: null });
    const again = await pull(shop, first.operationId);
    expect(again.operationId).not.toBe(first.operationId);
    expect(again.orders).toHaveLength(total);
  });
});
