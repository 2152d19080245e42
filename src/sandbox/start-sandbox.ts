/**
 * Starts the whole sandbox: a synthetic shop from `generateShop`, the Shopify Admin emulator
 * serving it, and the Klaviyo emulator seeded with profiles for about 60% of the shop's
 * customers that have an email (as if the merchant's Klaviyo already knew them). Returns the
 * environment a `tiersync sync` needs to talk to both.
 */
import { createKlaviyoSandbox } from './klaviyo/server.ts';
import type { KlaviyoSandbox } from './klaviyo/server.ts';
import { createShopifySandbox } from './shopify/server.ts';
import type { ShopifySandbox } from './shopify/server.ts';
import type { ShopifyPlan } from './shopify/graphql/cost-bucket.ts';
import type { BulkGrouping } from './shopify/bulk/types.ts';
import type { FaultSpec } from './faults.ts';
import { generateShop } from '../synth/generate-shop.ts';
import type { ShopRecord } from '../synth/types.ts';
import { DAY_MS } from '../core/order.ts';
import { seededRandom } from '../util/seeded-random.ts';

export type SandboxEnvName = 'SHOPIFY_SHOP' | 'SHOPIFY_ADMIN_TOKEN' | 'KLAVIYO_API_KEY' | 'TIERSYNC_SHOPIFY_URL' | 'TIERSYNC_KLAVIYO_URL';

/** The order in which `tiersync sandbox` prints the environment. */
export const SANDBOX_ENV_NAMES: readonly SandboxEnvName[] = ['SHOPIFY_SHOP', 'SHOPIFY_ADMIN_TOKEN', 'KLAVIYO_API_KEY', 'TIERSYNC_SHOPIFY_URL', 'TIERSYNC_KLAVIYO_URL'];

/** Credentials that are obviously not real (a real Admin token is `shpat_` + 32 hex digits). */
export const SANDBOX_SHOP = 'tiersync-sandbox';
export const SANDBOX_SHOPIFY_TOKEN = 'sandbox-shopify-admin-token-not-a-secret';
export const SANDBOX_KLAVIYO_KEY = 'sandbox-klaviyo-api-key-not-a-secret';

/** Share of customers with an email who already have a Klaviyo profile. */
const KLAVIYO_PROFILE_SHARE = 0.6;

export interface StartSandboxOptions {
  /** Shopify listens here and Klaviyo on port + 1; 0 (default) picks free ports. */
  port?: number;
  host?: string;
  customers?: number;
  seed?: number;
  plan?: ShopifyPlan;
  faults?: FaultSpec;
  timeScale?: number;
  /** End of the shop's history; default the start of today (UTC), so a seed gives the same shop all day. */
  asOf?: Date;
  /** Months of order history the shop has (default 24): longer histories have dormant customers. */
  historyMonths?: number;
  now?: () => number;
  /** The Shopify app's access scopes (default: every scope tiersync needs). */
  scopes?: readonly string[];
  /** Bulk query output without `groupObjects` (default `scattered`). */
  bulkGrouping?: BulkGrouping;
  /** Bulk operations of one type that may run at once (default 5). */
  maxConcurrentBulkOperations?: number;
}

export interface RunningSandbox {
  env: Record<SandboxEnvName, string>;
  shopifyUrl: string;
  klaviyoUrl: string;
  shopify: ShopifySandbox;
  klaviyo: KlaviyoSandbox;
  /** Customers and orders loaded into the Shopify emulator, and profiles seeded into Klaviyo. */
  counts: { customers: number; orders: number; klaviyoProfiles: number };
  close(): Promise<void>;
}

/**
 * @example
 * const sandbox = await startSandbox({ customers: 1_000, seed: 7 });
 * process.env.TIERSYNC_SHOPIFY_URL = sandbox.env.TIERSYNC_SHOPIFY_URL;
 * await sandbox.close();
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const seed = options.seed ?? 1;
  const customers = options.customers ?? 10_000;
  const now = options.now ?? Date.now;
  const asOf = options.asOf ?? new Date(Math.floor(now() / DAY_MS) * DAY_MS);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_534) throw new RangeError(`startSandbox: port must be 0..65534 (got ${port})`);

  const profiles = profileSeeder(seed);
  const counts = { customers: 0, orders: 0, klaviyoProfiles: 0 };
  const records = function* (): Generator<ShopRecord> {
    for (const record of generateShop({ seed, customers, asOf, historyMonths: options.historyMonths ?? 24 })) {
      if (record.kind === 'customer') {
        counts.customers += 1;
        counts.orders += record.orders.length;
        profiles.offer(record.customer.id, record.customer.email);
      } else {
        counts.orders += 1;
      }
      yield record;
    }
  };
  const shopify = createShopifySandbox({
    accessToken: SANDBOX_SHOPIFY_TOKEN,
    shopDomain: `${SANDBOX_SHOP}.myshopify.com`,
    records: records(),
    plan: options.plan ?? 'standard',
    seed,
    faults: options.faults,
    timeScale: options.timeScale,
    now,
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.bulkGrouping ? { bulkGrouping: options.bulkGrouping } : {}),
    ...(options.maxConcurrentBulkOperations ? { maxConcurrentBulkOperations: options.maxConcurrentBulkOperations } : {}),
  });
  const initialProfiles = profiles.list();
  counts.klaviyoProfiles = initialProfiles.length;
  const klaviyo = createKlaviyoSandbox({ apiKey: SANDBOX_KLAVIYO_KEY, seed, faults: options.faults, timeScale: options.timeScale, initialProfiles, now });

  const shopifyUrl = await shopify.listen(port, host);
  let klaviyoUrl: string;
  try {
    klaviyoUrl = await klaviyo.listen(port === 0 ? 0 : port + 1, host);
  } catch (error) {
    await shopify.close();
    throw error;
  }
  return {
    env: {
      SHOPIFY_SHOP: SANDBOX_SHOP,
      SHOPIFY_ADMIN_TOKEN: SANDBOX_SHOPIFY_TOKEN,
      KLAVIYO_API_KEY: SANDBOX_KLAVIYO_KEY,
      TIERSYNC_SHOPIFY_URL: shopifyUrl,
      TIERSYNC_KLAVIYO_URL: klaviyoUrl,
    },
    shopifyUrl,
    klaviyoUrl,
    shopify,
    klaviyo,
    counts,
    close: async () => {
      await Promise.all([shopify.close(), klaviyo.close()]);
    },
  };
}

/**
 * Picks, with its own seeded draw per customer, the customers with an email who get a Klaviyo
 * profile; an email already taken (shared by two customers, compared case-insensitively) is skipped
 * because Klaviyo keeps one profile per email.
 */
function profileSeeder(seed: number) {
  const random = seededRandom(seed ^ 0x6b6c6176);
  const seen = new Set<string>();
  const profiles: { email: string; externalId: string }[] = [];
  return {
    offer(customerId: string, email: string | null): void {
      if (!email) return;
      if (random() >= KLAVIYO_PROFILE_SHARE) return;
      const key = email.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      profiles.push({ email, externalId: customerId });
    },
    list: () => profiles,
  };
}
