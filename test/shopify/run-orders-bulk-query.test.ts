import { Readable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { runOrdersBulkQuery } from '../../src/shopify/operations/run-orders-bulk-query.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin, serveFile } from './helpers/fake-admin.ts';
import { bulkJoin } from './helpers/bulk-join.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const BULK_ID = 'gid://shopify/BulkOperation/77';

const orderA = {
  id: 'gid://shopify/Order/1',
  name: '#1001',
  email: null,
  processedAt: '2025-03-01T10:00:00Z',
  createdAt: '2025-03-01T09:59:00Z',
  updatedAt: '2025-03-02T00:00:00Z',
  cancelledAt: null,
  test: false,
  currentTotalPriceSet: { shopMoney: { amount: '123.45', currencyCode: 'USD' } },
  customer: { id: 'gid://shopify/Customer/9', defaultEmailAddress: { emailAddress: 'ann@example.com' } },
};
const orderB = {
  ...orderA,
  id: 'gid://shopify/Order/2',
  name: '#1002',
  email: 'guest@example.com',
  processedAt: null,
  createdAt: '2025-04-01T00:00:00Z',
  cancelledAt: '2025-04-02T00:00:00Z',
  currentTotalPriceSet: { shopMoney: { amount: '1500.0', currencyCode: 'JPY' } },
  customer: null,
};

/** Line items after their order, but not directly after it (groupObjects: false). */
const resultLines = [
  orderA,
  { id: 'gid://shopify/LineItem/11', quantity: 2, product: { productType: 'Shoes' }, __parentId: orderA.id },
  orderB,
  { id: 'gid://shopify/LineItem/21', quantity: 1, product: null, __parentId: orderB.id },
  { id: 'gid://shopify/LineItem/12', quantity: 3, product: { productType: 'Socks' }, __parentId: orderA.id },
];

const expectedOrders: Order[] = [
  {
    id: orderA.id,
    customerId: 'gid://shopify/Customer/9',
    email: 'ann@example.com',
    processedAt: Date.UTC(2025, 2, 1, 10),
    totalCents: 12345,
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [
      { productType: 'Shoes', quantity: 2 },
      { productType: 'Socks', quantity: 3 },
    ],
  },
  {
    id: orderB.id,
    customerId: null,
    email: 'guest@example.com',
    processedAt: Date.UTC(2025, 3, 1),
    totalCents: 1500,
    currency: 'JPY',
    cancelled: true,
    test: false,
    lines: [{ productType: '', quantity: 1 }],
  },
];

function bulkAdmin(url: string) {
  let polls = 0;
  return fakeAdmin(({ query }) => {
    if (query.includes('bulkOperationRunQuery')) {
      return { data: { bulkOperationRunQuery: { bulkOperation: { id: BULK_ID, status: 'CREATED' }, userErrors: [] } }, extensions: cost(10, 10, 1990) };
    }
    polls++;
    const status = polls < 3 ? 'RUNNING' : 'COMPLETED';
    return {
      data: { bulkOperation: { id: BULK_ID, status, errorCode: null, objectCount: '5', url: status === 'COMPLETED' ? url : null, partialDataUrl: null } },
      extensions: cost(1, 1, 1990),
    };
  });
}

describe('runOrdersBulkQuery', () => {
  it('starts the bulk query, reports its id, polls with backoff and links line items to their orders', async () => {
    const url = serveFile('/bulk/77.jsonl?signature=secret', resultLines);
    const admin = bulkAdmin(url);
    const { client, clock } = testClient();
    const events: string[] = [];
    const orders: Order[] = [];
    const summary = await runOrdersBulkQuery({ client })({ ...bulkJoin(),
      since: new Date('2024-11-25T00:00:00Z'),
      onOperationId: (id) => {
        events.push(`id ${id} after ${admin.requests.length} requests`);
      },
      onOrder: (order) => {
        orders.push(order);
      },
    });
    expect(orders).toEqual(expectedOrders);
    expect(summary).toEqual({ operationId: BULK_ID, orders: 2, lineItems: 3, spilledLineItems: 0, lateLineItems: 0 });
    // One look for a running export of the same query, then the start.
    expect(events).toEqual([`id ${BULK_ID} after 2 requests`]);
    expect(clock.sleeps).toEqual([1000, 1500]);
    expect(admin.requests[1]?.variables.query).toContain("processed_at:>='2024-11-25T00:00:00.000Z'");
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
    expect(schemaProblems(String(admin.requests[1]?.variables.query))).toEqual([]);
  });

  it('resumes polling a known operation instead of starting a new one', async () => {
    const url = serveFile('/bulk/77.jsonl', resultLines);
    const admin = bulkAdmin(url);
    const { client } = testClient();
    const orders: Order[] = [];
    await runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), resumeOperationId: BULK_ID, onOrder: (o) => void orders.push(o) });
    expect(admin.requests.some((request) => request.query.includes('bulkOperationRunQuery'))).toBe(false);
    expect(orders.map((order) => order.id)).toEqual([orderA.id, orderB.id]);
  });

  it('replaces a resumed operation that expired with a new one, reporting both ids', async () => {
    const url = serveFile('/bulk/78.jsonl', resultLines);
    const OLD = 'gid://shopify/BulkOperation/1';
    const admin = fakeAdmin(({ query, variables }) => {
      if (query.includes('bulkOperationRunQuery')) {
        return { data: { bulkOperationRunQuery: { bulkOperation: { id: BULK_ID, status: 'CREATED' }, userErrors: [] } } };
      }
      const expired = variables.id === OLD;
      return {
        data: {
          bulkOperation: { id: variables.id, status: expired ? 'EXPIRED' : 'COMPLETED', errorCode: null, objectCount: '5', url: expired ? null : url, partialDataUrl: null },
        },
      };
    });
    const { client } = testClient();
    const ids: string[] = [];
    const orders: Order[] = [];
    const summary = await runOrdersBulkQuery({ client })({ ...bulkJoin(),
      since: new Date(0),
      resumeOperationId: OLD,
      onOperationId: (id) => void ids.push(id),
      onOrder: (o) => void orders.push(o),
    });
    expect(ids).toEqual([OLD, BULK_ID]);
    expect(summary.operationId).toBe(BULK_ID);
    expect(orders).toEqual(expectedOrders);
    expect(admin.requests.filter((request) => request.query.includes('bulkOperationRunQuery'))).toHaveLength(1);
  });

  it('reopens a download that breaks midway and hands over every order exactly once', async () => {
    const text = resultLines.map((line) => JSON.stringify(line)).join('\n') + '\n';
    const firstThreeLines = text.split('\n').slice(0, 3).join('\n') + '\n';
    nock('https://storage.example.com')
      .get('/bulk/broken.jsonl')
      .reply(200, () => {
        const stream = new Readable({ read() {} });
        stream.push(firstThreeLines);
        setTimeout(() => stream.destroy(new Error('connection reset')), 5);
        return stream;
      })
      .get('/bulk/broken.jsonl')
      .reply(200, text);
    bulkAdmin('https://storage.example.com/bulk/broken.jsonl');
    const { client } = testClient();
    const orders: Order[] = [];
    await runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), onOrder: (o) => void orders.push(o) });
    expect(orders).toEqual(expectedOrders);
    expect(client.stats().retries).toBe(1);
  });

  it('hands on a line item whose order was not in the file before it, after the file, instead of losing it', async () => {
    const url = serveFile('/bulk/orphan.jsonl', [orderA, { id: 'gid://shopify/LineItem/5', quantity: 1, product: null, __parentId: 'gid://shopify/Order/404' }]);
    bulkAdmin(url);
    const { client } = testClient();
    const orders: Order[] = [];
    const join = bulkJoin();
    const summary = await runOrdersBulkQuery({ client })({ ...join, since: new Date(0), onOrder: (o) => void orders.push(o) });
    expect(summary).toEqual({ operationId: BULK_ID, orders: 1, lineItems: 1, spilledLineItems: 1, lateLineItems: 1 });
    expect(orders.map((o) => [o.id, o.lines])).toEqual([[orderA.id, []]]);
    expect(join.late).toEqual([{ orderId: 'gid://shopify/Order/404', lines: [{ productType: '', quantity: 1 }] }]);
  });

  it('joins line items that come before their order (ungrouped output) through the spill', async () => {
    const url = serveFile('/bulk/scattered.jsonl', [
      { id: 'gid://shopify/LineItem/7', quantity: 2, product: { productType: 'Shoes' }, __parentId: orderB.id },
      orderA,
      { id: 'gid://shopify/LineItem/8', quantity: 1, product: { productType: 'Hats' }, __parentId: orderB.id },
      orderB,
    ]);
    bulkAdmin(url);
    const { client } = testClient();
    const orders: Order[] = [];
    const join = bulkJoin();
    const summary = await runOrdersBulkQuery({ client })({ ...join, since: new Date(0), onOrder: (o) => void orders.push(o) });
    expect(summary).toEqual({ operationId: BULK_ID, orders: 2, lineItems: 2, spilledLineItems: 2, lateLineItems: 0 });
    expect(orders.map((o) => [o.id, o.lines])).toEqual([
      [orderA.id, []],
      [orderB.id, [{ productType: 'Shoes', quantity: 2 }, { productType: 'Hats', quantity: 1 }]],
    ]);
    expect(join.late).toEqual([]);
  });

  it('starts a failed export again, twice, then throws naming its error code', async () => {
    const admin = fakeAdmin(({ query }) =>
      query.includes('bulkOperationRunQuery')
        ? { data: { bulkOperationRunQuery: { bulkOperation: { id: BULK_ID, status: 'CREATED' }, userErrors: [] } } }
        : { data: { bulkOperation: { id: BULK_ID, status: 'FAILED', errorCode: 'TIMEOUT', objectCount: '0', url: null, partialDataUrl: null } } },
    );
    const { client } = testClient();
    await expect(runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), onOrder: () => undefined })).rejects.toThrow(/FAILED \(TIMEOUT\)/);
    expect(admin.requests.filter((request) => request.query.includes('bulkOperationRunQuery'))).toHaveLength(3);
  });

  it('waits while other bulk queries hold every slot, then reports the refusal with Shopify\'s message', async () => {
    const admin = fakeAdmin(() => ({
      data: {
        bulkOperationRunQuery: {
          bulkOperation: null,
          userErrors: [{ field: null, message: 'A bulk query operation for this app and shop is already in progress', code: 'OPERATION_IN_PROGRESS' }],
        },
      },
    }));
    const { client, clock } = testClient();
    await expect(runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), onOrder: () => undefined })).rejects.toThrow(/already in progress \[OPERATION_IN_PROGRESS\]/);
    // Five starts, a look for a running export of the same query before each and after each refusal.
    expect(admin.requests.filter((request) => request.query.includes('bulkOperationRunQuery'))).toHaveLength(5);
    expect(clock.sleeps).toEqual([5_000, 10_000, 15_000, 20_000]);
  });
});

describe('bulk result download', () => {
  it('waits Retry-After on a 429 from the file host and retries a 503', async () => {
    const text = resultLines.map((line) => JSON.stringify(line)).join('\n') + '\n';
    nock('https://storage.example.com')
      .get('/bulk/busy.jsonl')
      .reply(429, 'slow down', { 'Retry-After': '3' })
      .get('/bulk/busy.jsonl')
      .reply(503, 'unavailable')
      .get('/bulk/busy.jsonl')
      .reply(200, text);
    bulkAdmin('https://storage.example.com/bulk/busy.jsonl');
    const { client, clock } = testClient();
    const orders: Order[] = [];
    await runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), onOrder: (o) => void orders.push(o) });
    expect(orders).toEqual(expectedOrders);
    // Two polls (1 s, 1.5 s), then Retry-After 3 s, then floor(0.5 × 1000) for the 503.
    expect(clock.sleeps).toEqual([1000, 1500, 3000, 500]);
  });

  it('does not retry a 403 from the file host (an expired signed URL)', async () => {
    nock('https://storage.example.com').get('/bulk/expired.jsonl').query(true).reply(403, 'AccessDenied');
    bulkAdmin('https://storage.example.com/bulk/expired.jsonl?X-Goog-Signature=abc');
    const { client } = testClient();
    const error = await runOrdersBulkQuery({ client })({ ...bulkJoin(), since: new Date(0), onOrder: () => undefined }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('HTTP 403');
    expect((error as Error).message).not.toContain('X-Goog-Signature');
  });
});
