import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addTags } from '../../src/shopify/operations/add-tags.ts';
import { aliasBatchSize, aliasedTagMutation } from '../../src/shopify/operations/aliased-tag-mutation.ts';
import { removeTags } from '../../src/shopify/operations/remove-tags.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const customer = (n: number) => `gid://shopify/Customer/${n}`;

/**
 * Answers each alias `tN` with the userErrors `errorsFor` gives its customer id, and
 * `nodes(ids:)` from `customers` (an id missing there is a deleted customer).
 */
function tagAdmin(errorsFor: (id: string) => string[], bucket: { maximum: number; available: number }, customers: Record<string, string[]> = {}) {
  return fakeAdmin(({ query, variables }) => {
    if (query.includes('CustomerTagsById')) {
      const nodes = (variables.ids as string[]).map((id) => (customers[id] ? { id, tags: customers[id] } : null));
      return { data: { nodes }, extensions: cost(nodes.length + 1, nodes.length + 1, bucket.available, bucket.maximum) };
    }
    const aliases = [...query.matchAll(/\bt(\d+): tags(?:Add|Remove)/g)].map((match) => Number(match[1]));
    const data = Object.fromEntries(
      aliases.map((i) => [`t${i}`, { userErrors: errorsFor(String(variables[`id${i}`])).map((message) => ({ field: ['id'], message })) }]),
    );
    return { data, extensions: cost(aliases.length * 10, aliases.length * 10, bucket.available, bucket.maximum) };
  });
}

describe('aliased tag writes', () => {
  it('sizes batches to what the single-query maximum and the learned bucket allow', () => {
    expect(aliasBatchSize(null)).toBe(100);
    expect(aliasBatchSize(2000)).toBe(100);
    expect(aliasBatchSize(250)).toBe(25);
    expect(aliasBatchSize(5)).toBe(1);
  });

  it('generates one alias per change, numbered from t0', () => {
    const document = aliasedTagMutation('tagsRemove', 3);
    expect(document.match(/tagsRemove\(/g)).toHaveLength(3);
    expect(document).toContain('t2: tagsRemove(id: $id2, tags: $tags2)');
  });

  it('sends many customers per request; what became of a refused change is confirmed by nodes(ids:), not by its wording', async () => {
    // The same unhelpful wording for all three refusals: only the customers tell them apart.
    const admin = tagAdmin(
      (id) => ([customer(2), customer(3), customer(5)].includes(id) ? ['Computer says no'] : []),
      { maximum: 2000, available: 1900 },
      { [customer(3)]: Array.from({ length: 249 }, (_, i) => `t${i}`), [customer(5)]: ['wholesale'] },
    );
    const { client } = testClient();
    const changes = [1, 2, 3, 4, 5].map((n) => ({ customerId: customer(n), tags: ['ltv:vip', 'rfm:active'] }));
    const batches: number[] = [];
    const results = await addTags({ client })(changes, { onBatch: (batch) => void batches.push(batch.length) });
    expect(results.map((result) => [result.customerId, result.outcome])).toEqual([
      [customer(1), 'applied'],
      [customer(2), 'not-found'],
      [customer(3), 'tag-limit'],
      [customer(4), 'applied'],
      [customer(5), 'rejected'],
    ]);
    expect(results[1]?.messages).toEqual(['Computer says no']);
    expect(batches).toEqual([5]);
    expect(admin.requests).toHaveLength(2);
    expect(admin.requests[1]?.variables).toEqual({ ids: [customer(2), customer(3), customer(5)] });
    expect(admin.requests[0]?.variables).toMatchObject({ id0: customer(1), tags0: ['ltv:vip', 'rfm:active'], id3: customer(4) });
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
  });

  it('shrinks later batches to a bucket smaller than the single-query maximum, once learned', async () => {
    const admin = tagAdmin(() => [], { maximum: 30, available: 30 });
    const { client } = testClient();
    const changes = [1, 2, 3, 4, 5, 6, 7].map((n) => ({ customerId: customer(n), tags: ['ltv:new'] }));
    const results = await removeTags({ client })(changes);
    expect(results.every((result) => result.outcome === 'applied')).toBe(true);
    // First request knows no bucket: 7 at once (≤ 100); it learns 30 points = 3 mutations.
    // Only 7 changes exist, so one request carries all of them.
    expect(admin.requests.map((request) => request.query.match(/tagsRemove\(/g)?.length)).toEqual([7]);
    const more = Array.from({ length: 7 }, (_, i) => ({ customerId: customer(10 + i), tags: ['ltv:new'] }));
    await removeTags({ client })(more);
    expect(admin.requests.slice(1).map((request) => request.query.match(/tagsRemove\(/g)?.length)).toEqual([3, 3, 1]);
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
  });
});

describe('an error naming one alias', () => {
  it('fails that customer only (null tN plus an error path), never the batch', async () => {
    const admin = fakeAdmin(({ query }) => {
      if (query.includes('CustomerTagsById')) return { data: { nodes: [{ id: customer(2), tags: [] }] }, extensions: cost(2, 2, 1990) };
      return {
        data: { t0: { userErrors: [] }, t1: null, t2: { userErrors: [] } },
        errors: [{ message: 'The input array size of 251 is greater than the maximum allowed of 250.', path: ['t1'], extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' } }],
        extensions: cost(30, 30, 1970),
      };
    });
    const { client } = testClient();
    const results = await addTags({ client })([1, 2, 3].map((n) => ({ customerId: customer(n), tags: ['ltv:vip'] })));
    expect(results.map((result) => [result.customerId, result.outcome, result.messages])).toEqual([
      [customer(1), 'applied', []],
      [customer(2), 'rejected', ['The input array size of 251 is greater than the maximum allowed of 250. [MAX_INPUT_SIZE_EXCEEDED]']],
      [customer(3), 'applied', []],
    ]);
    expect(admin.requests).toHaveLength(2);
  });
});
