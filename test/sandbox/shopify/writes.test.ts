import { describe, expect, it } from 'vitest';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { SynthCustomer, SynthOrder } from '../../../src/synth/types.ts';
import { shopifyGraphQL, TEST_AS_OF, useSandbox } from '../../helpers/sandbox.ts';

const TAGS_ADD = 'mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags } } userErrors { field message } } }';
const TAGS_REMOVE = 'mutation($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }';
const METAFIELDS_SET = `mutation($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) {
  metafields { namespace key type value } userErrors { field message code elementIndex } } }`;

function shop(): { customers: SynthCustomer[]; orders: SynthOrder[] } {
  const customers: SynthCustomer[] = [];
  const orders: SynthOrder[] = [];
  for (const record of generateShop({ seed: 1, customers: 200, asOf: TEST_AS_OF })) {
    if (record.kind === 'customer') {
      customers.push(record.customer);
      orders.push(...record.orders);
    } else orders.push(record.order);
  }
  return { customers, orders };
}

describe('Shopify sandbox: writes', () => {
  const sandbox = useSandbox();
  const { customers, orders } = shop();
  const untagged = customers.find((customer) => customer.tags.length === 0) as SynthCustomer;
  const tagged = customers.find((customer) => customer.tags.length > 0) as SynthCustomer;
  const gid = (customer: SynthCustomer) => `gid://shopify/Customer/${customer.id}`;
  const tagsOf = (id: string) => sandbox().shopify.state().customers.find((customer) => customer.id === id)?.tags;

  it('adds tags (a list or one comma-separated string), keeps the merchant’s own and counts only new ones', async () => {
    sandbox().shopify.reset();
    const first = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(tagged), tags: ['ltv:vip', 'rfm:active'] });
    expect(first.body.data.tagsAdd.userErrors).toEqual([]);
    expect(first.body.data.tagsAdd.node.tags).toEqual(expect.arrayContaining([...tagged.tags, 'ltv:vip', 'rfm:active']));
    const second = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(tagged), tags: 'rfm:active, churn:at-risk' });
    expect(second.body.data.tagsAdd.userErrors).toEqual([]);
    expect(tagsOf(tagged.id)).toHaveLength(tagged.tags.length + 3);
    expect(sandbox().shopify.stats().writes.tags_added).toBe(3);
  });

  it('removes tags case-insensitively and counts what was removed', async () => {
    sandbox().shopify.reset();
    await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(untagged), tags: ['ltv:vip', 'rfm:cold'] });
    const answer = await shopifyGraphQL(sandbox(), TAGS_REMOVE, { id: gid(untagged), tags: ['LTV:VIP', 'not-there'] });
    expect(answer.body.data.tagsRemove).toEqual({ node: { id: gid(untagged) }, userErrors: [] });
    expect(tagsOf(untagged.id)).toEqual(['rfm:cold']);
    expect(sandbox().shopify.stats().writes).toEqual({ tags_added: 2, tags_removed: 1, metafields_set: 0, metafields_deleted: 0 });
  });

  it('answers an unknown customer with a userError, not an HTTP error', async () => {
    const answer = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: 'gid://shopify/Customer/1', tags: ['x'] });
    expect(answer.status).toBe(200);
    expect(answer.body.data.tagsAdd).toEqual({ node: null, userErrors: [{ field: ['id'], message: 'Invalid id' }] });
  });

  it('enforces 250 tags a customer and 255 characters a tag, changing nothing', async () => {
    sandbox().shopify.reset();
    const fill = Array.from({ length: 250 - untagged.tags.length }, (_, index) => `t${String(index).padStart(3, '0')}`);
    const full = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(untagged), tags: fill });
    expect(full.body.data.tagsAdd.userErrors).toEqual([]);
    expect(tagsOf(untagged.id)).toHaveLength(250);
    const over = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(untagged), tags: ['ltv:vip'] });
    expect(over.body.data.tagsAdd.node).toBeNull();
    expect(over.body.data.tagsAdd.userErrors[0].field).toEqual(['tags']);
    expect(over.body.data.tagsAdd.userErrors[0].message).toMatch(/250/);
    expect(tagsOf(untagged.id)).not.toContain('ltv:vip');
    const long = await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(tagged), tags: ['x'.repeat(256)] });
    expect(long.body.data.tagsAdd.userErrors[0].message).toMatch(/maximum is 255 characters/);
    expect(tagsOf(tagged.id)).toEqual([...tagged.tags].sort());
  });

  it('sets up to 25 metafields atomically and rejects 26 with MAX_INPUT_SIZE_EXCEEDED', async () => {
    sandbox().shopify.reset();
    const input = (key: string, type: string, value: string) => ({ ownerId: gid(untagged), namespace: 'tiersync', key, type, value });
    const ok = await shopifyGraphQL(sandbox(), METAFIELDS_SET, { metafields: [input('tier', 'single_line_text_field', 'vip'), input('ltv', 'number_decimal', '123.45')] });
    expect(ok.body.data.metafieldsSet).toEqual({
      metafields: [
        { namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', value: 'vip' },
        { namespace: 'tiersync', key: 'ltv', type: 'number_decimal', value: '123.45' },
      ],
      userErrors: [],
    });
    const bad = await shopifyGraphQL(sandbox(), METAFIELDS_SET, { metafields: [input('tier', 'single_line_text_field', 'champion'), input('churn_risk', 'number_integer', 'high')] });
    expect(bad.body.data.metafieldsSet.metafields).toBeNull();
    expect(bad.body.data.metafieldsSet.userErrors).toEqual([{ field: ['metafields', '1', 'value'], message: 'Value is invalid for type number_integer.', code: 'INVALID_VALUE', elementIndex: 1 }]);
    const read = await shopifyGraphQL(sandbox(), 'query($id: ID!) { customer(id: $id) { metafield(namespace: "tiersync", key: "tier") { value } } }', { id: gid(untagged) });
    expect(read.body.data.customer.metafield.value).toBe('vip');
    const tooMany = await shopifyGraphQL(sandbox(), METAFIELDS_SET, { metafields: Array.from({ length: 26 }, (_, index) => input(`k${index}`, 'number_integer', '1')) });
    expect(tooMany.body.errors[0].message).toBe('The input array size of 26 is greater than the maximum allowed of 25.');
    expect(tooMany.body.errors[0].extensions.code).toBe('MAX_INPUT_SIZE_EXCEEDED');
    expect(sandbox().shopify.stats().writes.metafields_set).toBe(2);
  });

  it('reflects a refund and a new order in state and in an incremental updated_at pull', async () => {
    sandbox().shopify.reset();
    const before = Date.now() - 1000;
    const target = orders.find((order) => !order.test && order.cancelledAt === null && order.totalRefunded === '0.00' && Number(order.totalPrice) > 20) as SynthOrder;
    sandbox().shopify.mutateOrder(target.id, { refund: '10.00' });
    const newOrder: SynthOrder = {
      ...target,
      id: '5199999999',
      name: '#99999',
      createdAt: new Date().toISOString(),
      processedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      totalRefunded: '0.00',
      currentTotalPrice: target.totalPrice,
      lines: target.lines.map((line, index) => ({ ...line, id: String(99_000_000_000 + index) })),
    };
    sandbox().shopify.addOrder(newOrder);
    const state = sandbox().shopify.state();
    const refunded = state.orders.find((order) => order.id === target.id);
    const expectedTotal = ((Math.round(Number(target.totalPrice) * 100) - 1000) / 100).toFixed(2);
    expect(refunded?.current_total).toBe(expectedTotal);
    expect(state.orders).toHaveLength(orders.length + 1);
    const pulled = await shopifyGraphQL(
      sandbox(),
      'query($q: String!) { orders(first: 10, query: $q, sortKey: UPDATED_AT) { nodes { id currentTotalPriceSet { shopMoney { amount } } } } }',
      { q: `updated_at:>'${new Date(before).toISOString()}'` },
    );
    expect(pulled.body.data.orders.nodes).toEqual([
      { id: `gid://shopify/Order/${target.id}`, currentTotalPriceSet: { shopMoney: { amount: expectedTotal } } },
      { id: 'gid://shopify/Order/5199999999', currentTotalPriceSet: { shopMoney: { amount: target.totalPrice } } },
    ]);
  });

  it('serves stats, state and reset over HTTP', async () => {
    await shopifyGraphQL(sandbox(), TAGS_ADD, { id: gid(untagged), tags: ['ltv:new'] });
    const base = sandbox().shopifyUrl;
    const stats = await (await fetch(`${base}/__sandbox/stats`)).json();
    expect(stats.writes.tags_added).toBeGreaterThan(0);
    expect(stats.requests['mutation tagsAdd']['200']).toBeGreaterThan(0);
    const state = await (await fetch(`${base}/__sandbox/state`)).json();
    expect(state.customers.find((customer: { id: string }) => customer.id === untagged.id).tags).toContain('ltv:new');
    expect(state.orders[0]).toEqual({
      id: expect.any(String),
      customer_id: expect.toSatisfy((value: unknown) => value === null || typeof value === 'string'),
      email: expect.toSatisfy((value: unknown) => value === null || typeof value === 'string'),
      processed_at: expect.any(String),
      current_total: expect.stringMatching(/^\d+\.\d{2}$/),
      cancelled_at: expect.toSatisfy((value: unknown) => value === null || typeof value === 'string'),
      test: expect.any(Boolean),
    });
    const reset = await fetch(`${base}/__sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const after = await (await fetch(`${base}/__sandbox/state`)).json();
    expect(after.customers.find((customer: { id: string }) => customer.id === untagged.id).tags).toEqual(untagged.tags);
    expect(after.orders).toHaveLength(orders.length);
    expect((await (await fetch(`${base}/__sandbox/stats`)).json()).writes).toEqual({ tags_added: 0, tags_removed: 0, metafields_set: 0, metafields_deleted: 0 });
  });
});
