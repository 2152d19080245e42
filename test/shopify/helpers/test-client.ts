import { createShopifyClient, type ShopifyClientOptions } from '../../../src/shopify/client.ts';
import { createTestClock } from '../../helpers/clock.ts';

export const SHOP = 'tiersync-test';
export const ORIGIN = 'https://tiersync-test.myshopify.com';
export const GRAPHQL_PATH = '/admin/api/2026-07/graphql.json';
// Built at run time so that no token-shaped literal sits in the repository.
export const TOKEN = `shpat_${'0123456789abcdef'.repeat(2)}`;

/** A client of the test shop on the test clock (sleeps take no time) with random() = 0.5. */
export function testClient(overrides: Partial<ShopifyClientOptions> = {}) {
  const clock = createTestClock(1_700_000_000_000);
  const warnings: string[] = [];
  const client = createShopifyClient({
    shop: SHOP,
    accessToken: TOKEN,
    sleep: clock.sleep,
    now: clock.now,
    random: () => 0.5,
    logger: { warn: (message) => warnings.push(message) },
    ...overrides,
  });
  return { client, clock, warnings };
}

/** `extensions.cost` as the Admin API reports it. */
export function cost(requested: number, actual: number | null, available: number, maximum = 2000, restoreRate = 100) {
  return {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: { maximumAvailable: maximum, currentlyAvailable: available, restoreRate },
    },
  };
}
