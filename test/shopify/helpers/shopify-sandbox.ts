import type { FaultSpec } from '../../../src/sandbox/faults.ts';
import { createShopifySandbox } from '../../../src/sandbox/shopify/server.ts';
import { createShopifyClient } from '../../../src/shopify/client.ts';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { ShopRecord } from '../../../src/synth/types.ts';
import { seededRandom } from '../../../src/util/seeded-random.ts';

export const SANDBOX_TOKEN = 'sandbox-token-for-tests';
export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Polls fast: the sandbox runs bulk operations on its time scale. */
export const FAST_POLL = { initialIntervalMs: 20, maxIntervalMs: 200 };

/**
 * A Shopify emulator on 127.0.0.1, port 0, serving a generated shop whose history ended 30 days
 * ago (so nothing in it was updated in the last 30 days), and a client of it.
 */
export async function startShopifySandbox(options: { customers: number; seed: number; faults?: FaultSpec; timeScale?: number }) {
  const asOf = new Date(Date.now() - 30 * 24 * 3600 * 1000);
  const records: ShopRecord[] = [...generateShop({ seed: options.seed, customers: options.customers, asOf })];
  const sandbox = createShopifySandbox({
    accessToken: SANDBOX_TOKEN,
    shopDomain: 'tiersync-it.myshopify.com',
    records,
    plan: 'standard',
    seed: options.seed,
    timeScale: options.timeScale ?? 50,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const baseUrl = await sandbox.listen(0, '127.0.0.1');
  const client = createShopifyClient({
    shop: 'tiersync-it',
    accessToken: SANDBOX_TOKEN,
    baseUrl,
    sleep: realSleep,
    now: Date.now,
    random: seededRandom(options.seed),
    maxAttempts: 10,
    timeoutMs: 10_000,
  });
  return { sandbox, baseUrl, client, records, asOf };
}
