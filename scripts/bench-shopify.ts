/**
 * Shopify connector bench against the sandbox (Standard plan, time scale on): orders pulled
 * per second; aliased tag writes per second as a share of what the bucket allows; wall time of
 * a 100,000-customer tag change on the bulk-mutation path; API calls per changed customer;
 * THROTTLED counts; and the aliased→bulk crossover the threshold is chosen from.
 *
 * Run alone: `node --import tsx scripts/bench-shopify.ts` (BENCH_TIME_SCALE, default 20).
 */
import { pathToFileURL } from 'node:url';
import type { ShopifyPlan } from '../src/sandbox/shopify/graphql/cost-bucket.ts';
import { createShopifySandbox, type ShopifySandbox } from '../src/sandbox/shopify/server.ts';
import { createShopifyClient, type ShopifyClient } from '../src/shopify/client.ts';
import { addTags } from '../src/shopify/operations/add-tags.ts';
import { runBulkTagMutation } from '../src/shopify/operations/run-bulk-tag-mutation.ts';
import { openStore } from '../src/store/open-store.ts';
import { runOrdersBulkQuery } from '../src/shopify/operations/run-orders-bulk-query.ts';
import { BULK_TAG_MUTATION_THRESHOLD } from '../src/shopify/operations/write-tag-changes.ts';
import type { TagChange } from '../src/shopify/tag-change.ts';
import { generateShop } from '../src/synth/generate-shop.ts';
import { seededRandom } from '../src/util/seeded-random.ts';

const TOKEN = 'bench-token';
const PLAN: ShopifyPlan = 'standard';
const ORDER_SHOP_CUSTOMERS = 20_000;
const ALIASED_CUSTOMERS = 4_000;
const BULK_CUSTOMERS = 100_000;
const SMALL_BULK_CUSTOMERS = 10;
const MUTATION_COST = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Shop {
  sandbox: ShopifySandbox;
  client: ShopifyClient;
  customerIds: string[];
}

async function startShop(customers: number, timeScale: number, seed: number): Promise<Shop> {
  const asOf = new Date(Date.UTC(2026, 10, 1));
  const records = [...generateShop({ seed, customers, asOf })];
  const customerIds = records.flatMap((record) => (record.kind === 'customer' ? [`gid://shopify/Customer/${record.customer.id}`] : []));
  const sandbox = createShopifySandbox({ accessToken: TOKEN, shopDomain: 'bench.myshopify.com', records, plan: PLAN, seed, timeScale });
  const baseUrl = await sandbox.listen(0, '127.0.0.1');
  const client = createShopifyClient({ shop: 'bench', accessToken: TOKEN, baseUrl, sleep, now: Date.now, random: seededRandom(seed) });
  return { sandbox, client, customerIds };
}

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * @example
 * const figures = await benchShopify(); // { shopify_orders_per_second: …, … }
 */
export async function benchShopify(): Promise<Record<string, number | string>> {
  const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 20);
  const poll = { initialIntervalMs: Math.max(5, 1000 / timeScale), maxIntervalMs: Math.max(20, 15_000 / timeScale) };
  const figures: Record<string, number | string> = { shopify_plan: PLAN, shopify_time_scale: timeScale };

  // 1. Bulk order pull, then aliased tag writes, on one shop.
  const shop = await startShop(ORDER_SHOP_CUSTOMERS, timeScale, 101);
  try {
    let orders = 0;
    const pullStart = performance.now();
    const spillStore = openStore(':memory:');
    await runOrdersBulkQuery({ client: shop.client, poll })({ since: new Date(0), onOrder: () => void orders++, spill: spillStore.bulkLineSpill, onLateLines: () => undefined });
    spillStore.close();
    const pullSeconds = seconds(pullStart);
    figures.shopify_orders_pulled = orders;
    figures.shopify_bulk_pull_seconds = round(pullSeconds);
    figures.shopify_orders_per_second = Math.round(orders / pullSeconds);

    const statusBefore = shop.sandbox.stats().throttle_status;
    const changes: TagChange[] = shop.customerIds.slice(0, ALIASED_CUSTOMERS).map((customerId) => ({ customerId, tags: ['ltv:bench'] }));
    const requestsBefore = shop.client.stats().requests;
    const throttledBefore = shop.sandbox.stats().throttled;
    const aliasedStart = performance.now();
    const results = await addTags({ client: shop.client })(changes);
    const aliasedSeconds = seconds(aliasedStart);
    const applied = results.filter((result) => result.outcome === 'applied').length;
    // What the bucket allowed in that time: the points it held at the start plus what it restored.
    const effectiveRestore = statusBefore.restoreRate * timeScale;
    const allowedWrites = (statusBefore.currentlyAvailable + effectiveRestore * aliasedSeconds) / MUTATION_COST;
    figures.shopify_aliased_customers = applied;
    figures.shopify_aliased_seconds = round(aliasedSeconds);
    figures.shopify_aliased_writes_per_second = round(applied / aliasedSeconds, 1);
    figures.shopify_aliased_ceiling_writes_per_second = effectiveRestore / MUTATION_COST;
    figures.shopify_aliased_share_of_ceiling = round(applied / allowedWrites, 3);
    figures.shopify_aliased_calls_per_customer = round((shop.client.stats().requests - requestsBefore) / applied, 4);
    figures.shopify_aliased_throttled = shop.sandbox.stats().throttled - throttledBefore;
    figures.shopify_aliased_real_time_seconds_per_1000 = round((1000 * MUTATION_COST) / statusBefore.restoreRate, 1);
    figures.shopify_throttled_pull_and_aliased = shop.sandbox.stats().throttled;
  } finally {
    await shop.sandbox.close();
  }

  // 2. Bulk-mutation path: a small change (its fixed overhead) and a 100,000-customer change.
  const big = await startShop(BULK_CUSTOMERS, timeScale, 202);
  try {
    const bulk = runBulkTagMutation({ client: big.client, poll });
    const small = big.customerIds.slice(0, SMALL_BULK_CUSTOMERS).map((customerId) => ({ customerId, tags: ['ltv:bench-small'] }));
    const smallStart = performance.now();
    await bulk({ mutation: 'tagsAdd', changes: small });
    const smallSeconds = seconds(smallStart);

    const changes = big.customerIds.map((customerId) => ({ customerId, tags: ['ltv:bench'] }));
    const requestsBefore = big.client.stats().requests;
    const bulkStart = performance.now();
    const { results } = await bulk({ mutation: 'tagsAdd', changes });
    const bulkSeconds = seconds(bulkStart);
    const applied = results.filter((result) => result.outcome === 'applied').length;
    figures.shopify_bulk_customers = applied;
    figures.shopify_bulk_wall_seconds = round(bulkSeconds);
    figures.shopify_bulk_real_time_seconds = round(bulkSeconds * timeScale, 1);
    figures.shopify_bulk_calls_per_customer = round((big.client.stats().requests - requestsBefore) / applied, 6);
    figures.shopify_bulk_small_real_time_seconds = round(smallSeconds * timeScale, 1);
    figures.shopify_throttled_bulk = big.sandbox.stats().throttled;

    // Crossover, in real time on this plan: aliased writes take (10 n − bucket) / restoreRate
    // seconds (a full bucket's worth goes at once); bulk takes its overhead + n × per-line time.
    const { restoreRate, maximumAvailable } = big.sandbox.stats().throttle_status;
    const overhead = smallSeconds * timeScale;
    const perLine = Math.max(0, (bulkSeconds * timeScale - overhead) / (BULK_CUSTOMERS - SMALL_BULK_CUSTOMERS));
    const aliasedPerLine = MUTATION_COST / restoreRate;
    figures.shopify_crossover_customers =
      aliasedPerLine > perLine ? Math.ceil((overhead + maximumAvailable / restoreRate) / (aliasedPerLine - perLine)) : 'never';
    figures.shopify_bulk_threshold = BULK_TAG_MUTATION_THRESHOLD;
  } finally {
    await big.sandbox.close();
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchShopify();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(44)} ${value}`);
}
