import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { fetchOrdersUpdatedSince } from '../../src/shopify/operations/fetch-orders-updated-since.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

function orderNode(id: number, updatedAt: string, amount: string, lines: { nodes: unknown[]; hasNextPage?: boolean }) {
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    email: `c${id}@example.com`,
    processedAt: '2025-01-01T00:00:00Z',
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt,
    cancelledAt: null,
    test: false,
    currentTotalPriceSet: { shopMoney: { amount, currencyCode: 'USD' } },
    customer: { id: `gid://shopify/Customer/${id}`, defaultEmailAddress: null },
    lineItems: { pageInfo: { hasNextPage: lines.hasNextPage ?? false, endCursor: lines.hasNextPage ? 'L1' : null }, nodes: lines.nodes },
  };
}

const line = (productType: string, quantity: number) => ({ quantity, product: { productType } });

describe('fetchOrdersUpdatedSince', () => {
  it('pages through orders updated after the cursor minus the overlap, fetching long line-item lists, and returns the new cursor', async () => {
    const admin = fakeAdmin(({ query, variables }) => {
      if (query.includes('OrderLineItems')) {
        return { data: { order: { lineItems: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [line('Hats', 4)] } } }, extensions: cost(504, 5, 1500) };
      }
      if (variables.after === null) {
        return {
          data: {
            orders: {
              pageInfo: { hasNextPage: true, endCursor: 'P1' },
              nodes: [
                orderNode(1, '2025-06-01T10:00:00Z', '10.00', { nodes: [line('Shoes', 1)] }),
                orderNode(2, '2025-06-01T11:00:00Z', '0.00', { nodes: [line('Socks', 2)], hasNextPage: true }),
              ],
            },
          },
          extensions: cost(787, 60, 1900),
        };
      }
      return {
        data: {
          orders: {
            pageInfo: { hasNextPage: false, endCursor: 'P2' },
            // Order 2 again, unchanged (it moved while we paged): not handed over twice.
            nodes: [
              orderNode(2, '2025-06-01T11:00:00Z', '0.00', { nodes: [line('Socks', 2)] }),
              orderNode(3, '2025-06-01T09:00:00Z', '7.50', { nodes: [] }),
            ],
          },
        },
        extensions: cost(787, 40, 1900),
      };
    });
    const { client } = testClient();
    const orders: Order[] = [];
    const summary = await fetchOrdersUpdatedSince({ client })({
      since: new Date('2025-06-01T08:00:00Z'),
      overlapMs: 10 * 60_000,
      onOrder: (order) => void orders.push(order),
    });
    expect(admin.requests[0]?.variables.query).toBe("updated_at:>'2025-06-01T07:50:00.000Z'");
    expect(orders.map((order) => [order.id, order.totalCents, order.lines])).toEqual([
      ['gid://shopify/Order/1', 1000, [{ productType: 'Shoes', quantity: 1 }]],
      ['gid://shopify/Order/2', 0, [{ productType: 'Socks', quantity: 2 }, { productType: 'Hats', quantity: 4 }]],
      ['gid://shopify/Order/3', 750, []],
    ]);
    expect(summary).toEqual({ cursor: new Date('2025-06-01T11:00:00Z'), orders: 3, pages: 2, pageSize: 28 });
    expect(admin.requests.find((request) => request.query.includes('OrderLineItems'))?.variables).toEqual({ id: 'gid://shopify/Order/2', after: 'L1' });
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
  });

  it('keeps the cursor when nothing changed', async () => {
    fakeAdmin(() => ({ data: { orders: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }, extensions: cost(983, 2, 1990) }));
    const { client } = testClient();
    const since = new Date('2025-06-01T08:00:00Z');
    await expect(fetchOrdersUpdatedSince({ client })({ since, onOrder: () => undefined })).resolves.toEqual({ cursor: since, orders: 0, pages: 1, pageSize: 28 });
  });

  it('pages 28 orders at a time (787 points, real headroom under 1,000) and halves the page on MAX_COST_EXCEEDED instead of failing', async () => {
    // A shop that charges more than the published defaults: anything over 14 orders is refused.
    const admin = fakeAdmin(({ variables }) =>
      (variables.first as number) > 14
        ? { errors: [{ message: 'Query cost is 1502, which exceeds the single query max cost limit (1000).', extensions: { code: 'MAX_COST_EXCEEDED', cost: 1502, maxCost: 1000 } }] }
        : {
            data: { orders: { pageInfo: { hasNextPage: false, endCursor: 'P1' }, nodes: [orderNode(4, '2025-06-01T12:00:00Z', '5.00', { nodes: [] })] } },
            extensions: cost(395, 10, 1990),
          },
    );
    const { client } = testClient();
    const orders: Order[] = [];
    const summary = await fetchOrdersUpdatedSince({ client })({ since: new Date('2025-06-01T08:00:00Z'), onOrder: (order) => void orders.push(order) });
    expect(admin.requests.map((request) => request.variables.first)).toEqual([28, 14]);
    expect(summary).toEqual({ cursor: new Date('2025-06-01T12:00:00Z'), orders: 1, pages: 1, pageSize: 14 });
    expect(orders.map((order) => order.id)).toEqual(['gid://shopify/Order/4']);
  });
});
