import type { FaultSpec } from '../../../src/sandbox/faults.ts';
import { createShopifyClient } from '../../../src/shopify/client.ts';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { ShopRecord } from '../../../src/synth/types.ts';
import { seededRandom } from '../../../src/util/seeded-random.ts';
import type { StartSandboxOptions } from '../../../src/sandbox/start-sandbox.ts';
import { startTestSandbox, TEST_AS_OF } from '../../helpers/sandbox.ts';

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Polls fast: the sandbox runs bulk operations on its time scale. */
export const FAST_POLL = { initialIntervalMs: 20, maxIntervalMs: 200 };

/**
 * The sandbox on 127.0.0.1, port 0 (interface 5), and a Shopify client configured from the
 * environment it hands out, as `tiersync sync` would be. The shop's history ends at
 * TEST_AS_OF, weeks before now, so nothing in it was updated in the last 15 minutes.
 * Time scale 50 (not the helper's 1,000) keeps the cost bucket tight enough to exercise the
 * scheduler.
 */
export async function startShopifySandbox(
  options: { customers: number; seed: number; faults?: FaultSpec; timeScale?: number } & Pick<StartSandboxOptions, 'now' | 'maxConcurrentBulkOperations' | 'bulkGrouping'>,
) {
  const { customers, seed, faults, timeScale, ...rest } = options;
  const running = await startTestSandbox({ customers, seed, timeScale: timeScale ?? 50, ...(faults ? { faults } : {}), ...rest });
  const client = createShopifyClient({
    shop: running.env.SHOPIFY_SHOP,
    accessToken: running.env.SHOPIFY_ADMIN_TOKEN,
    baseUrl: running.env.TIERSYNC_SHOPIFY_URL,
    sleep: realSleep,
    now: Date.now,
    random: seededRandom(options.seed),
    maxAttempts: 10,
    timeoutMs: 10_000,
  });
  // The same generator call the sandbox made: what the shop holds, line items included.
  const records: ShopRecord[] = [...generateShop({ seed: options.seed, customers: options.customers, asOf: TEST_AS_OF })];
  return { sandbox: running.shopify, baseUrl: running.shopifyUrl, client, records, asOf: TEST_AS_OF, close: running.close };
}
