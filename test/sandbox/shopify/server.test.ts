import { describe, expect, it } from 'vitest';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { SynthOrder } from '../../../src/synth/types.ts';
import { ORDER_FIELDS } from '../../../src/shopify/documents/orders-bulk-query.ts';
import { shopifyGraphQL, TEST_AS_OF, useSandbox } from '../../helpers/sandbox.ts';

/** The same shop the sandbox serves, generated independently for expectations. */
function expectedOrders(customers = 200, seed = 1): SynthOrder[] {
  const orders: SynthOrder[] = [];
  for (const record of generateShop({ seed, customers, asOf: TEST_AS_OF })) {
    if (record.kind === 'customer') orders.push(...record.orders);
    else orders.push(record.order);
  }
  return orders;
}

async function allOrderIds(sandbox: ReturnType<ReturnType<typeof useSandbox>>, query?: string, sortKey = 'ID'): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const answer = await shopifyGraphQL(
      sandbox,
      `query($after: String, $query: String, $sortKey: OrderSortKeys) {
        orders(first: 250, after: $after, query: $query, sortKey: $sortKey) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
      }`,
      { after, query: query ?? null, sortKey },
    );
    expect(answer.body.errors).toBeUndefined();
    const orders = answer.body.data.orders;
    ids.push(...orders.edges.map((edge: { node: { id: string } }) => edge.node.id.replace('gid://shopify/Order/', '')));
    if (!orders.pageInfo.hasNextPage) return ids;
    after = orders.pageInfo.endCursor;
  }
}

describe('Shopify sandbox: requests, auth and version', () => {
  const sandbox = useSandbox();

  it('answers a wrong token with 401 and Shopify’s body', async () => {
    const answer = await shopifyGraphQL(sandbox(), '{ shop { name } }', {}, { token: 'shpat_wrong' });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
  });

  it('answers a version that does not exist with 404 and serves an older quarterly version as 2026-07', async () => {
    const unknown = await shopifyGraphQL(sandbox(), '{ shop { name } }', {}, { version: '2026-08' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ errors: 'Not Found' });
    const older = await shopifyGraphQL(sandbox(), '{ shop { myshopifyDomain } }', {}, { version: '2025-10' });
    expect(older.status).toBe(200);
    expect(older.headers.get('x-shopify-api-version')).toBe('2026-07');
    expect(older.body.data.shop.myshopifyDomain).toBe('tiersync-sandbox.myshopify.com');
  });

  it('reports requested and actual cost in extensions on every executed answer', async () => {
    const answer = await shopifyGraphQL(sandbox(), `{ orders(first: 3, sortKey: ID) { edges { node { ${ORDER_FIELDS} } } } }`);
    expect(answer.status).toBe(200);
    // Order: 1 + currentTotalPriceSet{shopMoney} 2 + customer{defaultEmailAddress} 2 = 5; 2 + 3 × 5 = 17
    expect(answer.body.extensions.cost.requestedQueryCost).toBe(17);
    const orders = answer.body.data.orders.edges.map((edge: { node: { customer: unknown } }) => edge.node);
    const guests = orders.filter((order: { customer: unknown }) => order.customer === null).length;
    expect(answer.body.extensions.cost.actualQueryCost).toBe(17 - 2 * guests);
    expect(answer.body.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
  });

  it('serves order fields as the Admin API shapes them', async () => {
    const expected = expectedOrders().sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))[0] as SynthOrder;
    const answer = await shopifyGraphQL(
      sandbox(),
      `query($id: ID!) { order(id: $id) { id name processedAt cancelledAt test totalPriceSet { shopMoney { amount currencyCode } }
        totalRefundedSet { shopMoney { amount } } currentTotalPriceSet { shopMoney { amount } }
        lineItems(first: 10) { nodes { id quantity product { productType } } } } }`,
      { id: `gid://shopify/Order/${expected.id}` },
    );
    expect(answer.body.data.order).toEqual({
      id: `gid://shopify/Order/${expected.id}`,
      name: expected.name,
      processedAt: expected.processedAt,
      cancelledAt: expected.cancelledAt,
      test: expected.test,
      totalPriceSet: { shopMoney: { amount: expected.totalPrice, currencyCode: 'USD' } },
      totalRefundedSet: { shopMoney: { amount: expected.totalRefunded } },
      currentTotalPriceSet: { shopMoney: { amount: expected.currentTotalPrice } },
      lineItems: { nodes: expected.lines.map((line) => ({ id: `gid://shopify/LineItem/${line.id}`, quantity: line.quantity, product: { productType: line.productType } })) },
    });
  });

  it('answers an unknown field with the GraphQL error Shopify gives, and no data', async () => {
    const answer = await shopifyGraphQL(sandbox(), '{ orders(first: 1) { nodes { id colour } } }', {}, { unchecked: true });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      {
        message: "Field 'colour' doesn't exist on type 'Order'",
        locations: [{ line: 1, column: 33 }],
        extensions: { code: 'undefinedField', typeName: 'Order', fieldName: 'colour' },
      },
    ]);
  });

  it('rejects first over 250 and a connection without first or last', async () => {
    const tooMany = await shopifyGraphQL(sandbox(), '{ customers(first: 251) { nodes { id } } }');
    expect(tooMany.body.errors[0].message).toMatch(/^first cannot exceed 250\. To query larger amounts of data with fewer limits, bulk operations should be used instead\./);
    expect(tooMany.body.errors[0].path).toEqual(['customers']);
    const unsized = await shopifyGraphQL(sandbox(), '{ customers { nodes { id } } }');
    expect(unsized.body.errors[0].message).toBe('you must provide one of first or last');
  });

  it('rejects a query over 1,000 points with MAX_COST_EXCEEDED before running it', async () => {
    // 2 + 250 × (customer 1 + amountSpent 1 + defaultEmailAddress 1 + statistics 1) = 1002
    const answer = await shopifyGraphQL(
      sandbox(),
      '{ customers(first: 250) { nodes { id amountSpent { amount } defaultEmailAddress { emailAddress } statistics { rfmGroup } } } }',
    );
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors[0].message).toMatch(/^Query cost is 1002, which exceeds the single query max cost limit \(1000\)\./);
    expect(answer.body.errors[0].extensions).toEqual({ code: 'MAX_COST_EXCEEDED', cost: 1002, maxCost: 1000, documentation: 'https://shopify.dev/api/usage/rate-limits' });
  });

  it('pages through every order exactly once, in id order and by processedAt', async () => {
    const expected = expectedOrders().map((order) => order.id);
    const byId = await allOrderIds(sandbox());
    expect(byId).toEqual([...expected].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)));
    const byProcessedAt = await allOrderIds(sandbox(), undefined, 'PROCESSED_AT');
    expect(new Set(byProcessedAt).size).toBe(expected.length);
    expect([...byProcessedAt].sort()).toEqual([...expected].sort());
  });

  it('filters orders by updated_at, processed_at and id as the search syntax says', async () => {
    const orders = expectedOrders();
    const since = '2026-06-01T00:00:00Z';
    const updated = await allOrderIds(sandbox(), `updated_at:>'${since}'`);
    expect(updated.sort()).toEqual(orders.filter((order) => Date.parse(order.updatedAt) > Date.parse(since)).map((order) => order.id).sort());
    const processed = await allOrderIds(sandbox(), `processed_at:>='${since}'`);
    expect(processed.sort()).toEqual(orders.filter((order) => Date.parse(order.processedAt) >= Date.parse(since)).map((order) => order.id).sort());
    expect(processed.length).toBeGreaterThan(0);
    expect(processed.length).toBeLessThan(orders.length);
    const pivot = orders.map((order) => BigInt(order.id)).sort((a, b) => (a < b ? -1 : 1))[100] as bigint;
    const afterPivot = await allOrderIds(sandbox(), `id:>${pivot}`);
    expect(afterPivot.length).toBe(orders.length - 101);
  });

  it('pages customers with their tags and email, matching the sandbox state', async () => {
    const seen: { id: string; email: string | null; tags: string[] }[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await shopifyGraphQL(
        sandbox(),
        'query($after: String) { customers(first: 60, after: $after) { nodes { id defaultEmailAddress { emailAddress } tags } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const page = answer.body.data.customers;
      seen.push(
        ...page.nodes.map((node: { id: string; defaultEmailAddress: { emailAddress: string } | null; tags: string[] }) => ({
          id: node.id.replace('gid://shopify/Customer/', ''),
          email: node.defaultEmailAddress?.emailAddress ?? null,
          tags: node.tags,
        })),
      );
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(sandbox().shopify.state().customers);
    expect(seen).toHaveLength(200);
  });
});

describe('Shopify sandbox: throttling', () => {
  let now = Date.parse('2026-11-01T12:00:00Z');
  const sandbox = useSandbox({ now: () => now, timeScale: 1 });

  it('charges each request, answers THROTTLED when the requested cost exceeds what is left, and recovers after the restore time', async () => {
    const query = '{ customers(first: 100) { nodes { id } } }'; // 2 + 100 × 1 = 102, all 100 returned
    for (let request = 1; request <= 19; request += 1) {
      const answer = await shopifyGraphQL(sandbox(), query);
      expect(answer.body.extensions.cost.actualQueryCost).toBe(102);
      expect(answer.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000 - 102 * request);
    }
    const throttled = await shopifyGraphQL(sandbox(), query);
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 102, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 62, restoreRate: 100 } } },
    });
    now += 390; // 62 + 39 = 101 < 102
    expect((await shopifyGraphQL(sandbox(), query)).body.errors?.[0].extensions.code).toBe('THROTTLED');
    now += 10; // 102
    const recovered = await shopifyGraphQL(sandbox(), query);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(0);
    const stats = sandbox().shopify.stats();
    expect(stats.throttled).toBe(2);
    expect(stats.cost_consumed).toBe(102 * 20);
    expect(stats.requests['query customers']).toEqual({ '200': 22 });
  });
});
