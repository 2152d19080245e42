import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTags } from '../../src/shopify/operations/add-tags.ts';
import { startShopifySandbox } from './helpers/shopify-sandbox.ts';

type Started = Awaited<ReturnType<typeof startShopifySandbox>>;

describe('aliased tag writes against the sandbox: one bad alias fails one customer', () => {
  let shop: Started;
  beforeAll(async () => {
    shop = await startShopifySandbox({ customers: 10, seed: 3 });
  });
  afterAll(async () => {
    await shop.close();
  });

  it('an input over 250 tags is an error naming its alias (null tN), a deleted customer a userError confirmed by nodes(ids:)', async () => {
    const [first, second, third] = shop.records.flatMap((record) => (record.kind === 'customer' ? [`gid://shopify/Customer/${record.customer.id}`] : []));
    const tooMany = Array.from({ length: 251 }, (_, i) => `bulk-${i}`);
    const results = await addTags({ client: shop.client })([
      { customerId: first as string, tags: ['ltv:vip'] },
      { customerId: second as string, tags: tooMany },
      { customerId: 'gid://shopify/Customer/1', tags: ['ltv:vip'] },
      { customerId: third as string, tags: ['ltv:vip'] },
    ]);
    // 251 tags can never fit a customer's 250: confirmed from its tags, not from the error's text.
    expect(results.map((result) => result.outcome)).toEqual(['applied', 'tag-limit', 'not-found', 'applied']);
    expect(results[1]?.messages).toEqual(['The input array size of 251 is greater than the maximum allowed of 250. [MAX_INPUT_SIZE_EXCEEDED]']);
    const tagged = shop.sandbox.state().customers.filter((customer) => customer.tags.includes('ltv:vip')).map((customer) => `gid://shopify/Customer/${customer.id}`);
    expect(tagged.sort()).toEqual([first, third].sort());
    expect(shop.sandbox.stats().requests['mutation tagsAdd']).toEqual({ '200': 1 });
    expect(shop.sandbox.stats().requests['query nodes']).toEqual({ '200': 1 });
  });
});
