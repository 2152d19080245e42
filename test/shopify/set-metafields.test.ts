import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setMetafields, type MetafieldValue } from '../../src/shopify/operations/set-metafields.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const DELETED = 'gid://shopify/Customer/404';

describe('setMetafields', () => {
  it('writes chunks of 25 in the tiersync namespace; a chunk with a deleted owner is sent again without it', async () => {
    const admin = fakeAdmin(({ query, variables }) => {
      const aliases = [...query.matchAll(/\bm(\d+): metafieldsSet/g)].map((match) => Number(match[1]));
      const data = Object.fromEntries(
        aliases.map((i) => {
          const values = variables[`m${i}`] as { ownerId: string }[];
          const userErrors = values.flatMap((value, index) =>
            value.ownerId === DELETED ? [{ field: ['metafields', String(index), 'ownerId'], message: 'Owner does not exist', code: 'INVALID', elementIndex: index }] : [],
          );
          return [`m${i}`, { userErrors }];
        }),
      );
      return { data, extensions: cost(aliases.length * 10, aliases.length * 10, 1900) };
    });
    const { client } = testClient();
    const values: MetafieldValue[] = Array.from({ length: 27 }, (_, i) => ({
      ownerId: i === 3 ? DELETED : `gid://shopify/Customer/${i}`,
      key: 'tier',
      type: 'single_line_text_field',
      value: 'vip',
    }));
    const results = await setMetafields({ client })(values);
    expect(results.filter((result) => result.outcome === 'applied')).toHaveLength(26);
    expect(results.filter((result) => result.outcome === 'rejected')).toEqual([
      { ownerId: DELETED, key: 'tier', outcome: 'rejected', messages: ['Owner does not exist'] },
    ]);
    // Request 1: chunks of 25 and 2 as aliases m0, m1. Request 2: the 24 others of the first chunk.
    expect(admin.requests.map((request) => Object.values(request.variables).map((chunk) => (chunk as unknown[]).length))).toEqual([[25, 2], [24]]);
    const first = (admin.requests[0]?.variables.m0 as Record<string, string>[])[0];
    expect(first).toEqual({ ownerId: 'gid://shopify/Customer/0', namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', value: 'vip' });
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
  });
});
