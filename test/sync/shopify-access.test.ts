import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { missingScopes } from '../../src/shopify/operations/fetch-access-scopes.ts';
import { openStore } from '../../src/store/open-store.ts';
import { runCli } from '../helpers/run-cli.ts';
import { shopifyGraphQL, startTestSandbox, TEST_AS_OF } from '../helpers/sandbox.ts';
import { syncAgainst, tempStorePath } from './sync-helpers.ts';

// The sandbox's clock starts at the end of the shop's history, so "the last 60 days" is a fixed set of orders.
const started = Date.now();
const shopClock = () => TEST_AS_OF.getTime() + (Date.now() - started);
const WITHOUT_READ_ALL_ORDERS = ['read_orders', 'read_customers', 'write_customers'];

describe('access scopes: the sandbox answers as Shopify does, tiersync stops before reading', () => {
  let full: RunningSandbox;
  let limited: RunningSandbox;
  let readOnly: RunningSandbox;
  beforeAll(async () => {
    [full, limited, readOnly] = await Promise.all([
      startTestSandbox({ customers: 40, now: shopClock }),
      startTestSandbox({ customers: 40, now: shopClock, scopes: WITHOUT_READ_ALL_ORDERS }),
      startTestSandbox({ customers: 40, now: shopClock, scopes: ['read_orders', 'read_all_orders', 'read_customers'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([full.close(), limited.close(), readOnly.close()]);
  });

  const countOrders = async (sandbox: RunningSandbox): Promise<number> => {
    let total = 0;
    let after: string | null = null;
    for (;;) {
      const answer = await shopifyGraphQL(sandbox, 'query($after: String) { orders(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after });
      total += answer.body.data.orders.nodes.length;
      if (!answer.body.data.orders.pageInfo.hasNextPage) return total;
      after = answer.body.data.orders.pageInfo.endCursor;
    }
  };

  it('without read_all_orders only the last 60 days of orders are served; accessScopes lists the granted set', async () => {
    expect(full.counts.orders).toBe(132);
    expect(await countOrders(full)).toBe(132);
    expect(await countOrders(limited)).toBe(6);
    const scopes = await shopifyGraphQL(limited, '{ currentAppInstallation { accessScopes { handle } } }');
    expect(scopes.body.data.currentAppInstallation.accessScopes).toEqual([{ handle: 'read_customers' }, { handle: 'read_orders' }, { handle: 'write_customers' }]);
    expect(missingScopes(['read_customers', 'read_orders', 'write_customers'])).toEqual(['read_all_orders']);
    expect(missingScopes(['read_orders', 'read_all_orders', 'write_customers'])).toEqual([]);
  });

  it('without write_customers a tag write is ACCESS_DENIED for that alias, in Shopify\'s shape', async () => {
    const answer = await shopifyGraphQL(
      readOnly,
      'mutation { t0: tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { message } } }',
    );
    expect(answer.body.data).toEqual({ t0: null });
    expect(answer.body.errors).toEqual([
      {
        message: 'Access denied for tagsAdd field. Required access: `write_customers` access scope.',
        locations: [{ line: 1, column: 12 }],
        path: ['t0'],
        extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: '`write_customers` access scope.' },
      },
    ]);
  });

  it('tiersync sync exits 1 naming read_all_orders and how to grant it, and reads or writes nothing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tiersync-scopes-'));
    const store = join(cwd, 'shop.db');
    const before = limited.shopify.stats().requests;
    const result = await runCli(['sync', '--store', store], { cwd, env: { ...limited.env } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('lacks the access scope read_all_orders (without read_all_orders Shopify serves only the last 60 days of orders)');
    expect(result.stderr).toContain('your custom app > Configuration > Admin API integration');
    expect(result.stderr).toContain('reinstall the app');
    const stats = limited.shopify.stats();
    expect(requestsSince(before, stats.requests)).toEqual({ 'query currentAppInstallation': 1 });
    expect(stats.writes).toEqual({ tags_added: 0, tags_removed: 0, metafields_set: 0, metafields_deleted: 0 });
    expect(limited.klaviyo.stats().writes).toEqual(expect.objectContaining({ profiles_created: 0 }));
    const opened = openStore(store);
    expect(opened.orders.countOrders()).toBe(0);
    expect(opened.shop.get()).toBeNull();
    opened.close();
  });
});

describe('a store holds one shop', () => {
  let first: RunningSandbox;
  let second: RunningSandbox;
  beforeAll(async () => {
    [first, second] = await Promise.all([startTestSandbox({ customers: 30, seed: 1 }), startTestSandbox({ customers: 30, seed: 2 })]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  it('the sandbox shop id depends on seed and size and survives a reset', async () => {
    const idOf = async (sandbox: RunningSandbox) => (await shopifyGraphQL(sandbox, '{ shop { id myshopifyDomain } }')).body.data.shop;
    const one = await idOf(first);
    expect(one).toEqual({ id: first.shopify.shopId, myshopifyDomain: 'tiersync-sandbox.myshopify.com' });
    expect((await idOf(second)).id).not.toBe(one.id);
    const bigger = await startTestSandbox({ customers: 31, seed: 1 });
    expect(bigger.shopify.shopId).not.toBe(one.id);
    await bigger.close();
    first.shopify.reset();
    expect((await idOf(first)).id).toBe(one.id);
  });

  it('another shop in the same store is refused with exit 1, naming the store and both shops, before anything is written', async () => {
    const storePath = tempStorePath();
    await syncAgainst(first, storePath, { mode: 'plan' });
    const before = openStore(storePath);
    const orders = before.orders.countOrders();
    expect(before.shop.get()).toEqual({ shopId: first.shopify.shopId, domain: 'tiersync-sandbox.myshopify.com' });
    const lastRun = before.runs.lastCompletedRun()?.id;
    before.close();

    const requestsBefore = second.shopify.stats().requests;
    const error = await syncAgainst(second, storePath, { mode: 'sync' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
    expect((error as UserError).message).toBe(
      `the store ${storePath} holds the shop tiersync-sandbox.myshopify.com (${first.shopify.shopId}), but SHOPIFY_ADMIN_TOKEN belongs to tiersync-sandbox.myshopify.com (${second.shopify.shopId}); ` +
        'one store holds one shop: use another --store for this shop. Nothing was read or written.',
    );
    const after = openStore(storePath);
    expect(after.orders.countOrders()).toBe(orders);
    expect(after.runs.lastCompletedRun()?.id).toBe(lastRun);
    expect(after.runs.openRun()).toBeNull();
    after.close();
    expect(second.shopify.stats().writes).toEqual({ tags_added: 0, tags_removed: 0, metafields_set: 0, metafields_deleted: 0 });
    expect(requestsSince(requestsBefore, second.shopify.stats().requests)).toEqual({ 'query currentAppInstallation': 1, 'query shop': 1 });
  });
});

/** Requests answered between two stats snapshots, by operation. */
function requestsSince(before: Record<string, Record<string, number>>, after: Record<string, Record<string, number>>): Record<string, number> {
  const total = (byStatus: Record<string, number> | undefined) => Object.values(byStatus ?? {}).reduce((sum, n) => sum + n, 0);
  const added: Record<string, number> = {};
  for (const [operation, byStatus] of Object.entries(after)) {
    const n = total(byStatus) - total(before[operation]);
    if (n > 0) added[operation] = n;
  }
  return added;
}
