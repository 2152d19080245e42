import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addTags } from '../../src/shopify/operations/add-tags.ts';
import { aliasBatchSize, aliasedTagMutation } from '../../src/shopify/operations/aliased-tag-mutation.ts';
import { removeTags } from '../../src/shopify/operations/remove-tags.ts';
import { tagOutcome } from '../../src/shopify/tag-change.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const customer = (n: number) => `gid://shopify/Customer/${n}`;

/** Answers each alias `tN` with the userErrors `errorsFor` gives its customer id. */
function tagAdmin(errorsFor: (id: string) => string[], bucket: { maximum: number; available: number }) {
  return fakeAdmin(({ query, variables }) => {
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

  it('sends many customers per request and returns userErrors as per-customer results', async () => {
    const admin = tagAdmin(
      (id) => {
        if (id === customer(2)) return ['Customer does not exist'];
        if (id === customer(3)) return ['Tags cannot exceed 250 per customer'];
        return [];
      },
      { maximum: 2000, available: 1900 },
    );
    const { client } = testClient();
    const changes = [1, 2, 3, 4].map((n) => ({ customerId: customer(n), tags: ['ltv:vip', 'rfm:active'] }));
    const batches: number[] = [];
    const results = await addTags({ client })(changes, { onBatch: (batch) => void batches.push(batch.length) });
    expect(results.map((result) => [result.customerId, result.outcome])).toEqual([
      [customer(1), 'applied'],
      [customer(2), 'not-found'],
      [customer(3), 'tag-limit'],
      [customer(4), 'applied'],
    ]);
    expect(results[1]?.messages).toEqual(['Customer does not exist']);
    expect(batches).toEqual([4]);
    expect(admin.requests).toHaveLength(1);
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

describe('tagOutcome', () => {
  it('classifies userErrors by their wording', () => {
    expect(tagOutcome([])).toBe('applied');
    expect(tagOutcome(['Customer not found'])).toBe('not-found');
    expect(tagOutcome(['The maximum number of tags (250) was reached'])).toBe('tag-limit');
    expect(tagOutcome(['Tag is too long'])).toBe('rejected');
  });
});
