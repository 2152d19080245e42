/**
 * The Shopify Admin GraphQL emulator (API version 2026-07) on node:http, in the manner of
 * stripe-mock, split along its pipeline:
 * - `edge/`: the HTTP edge (sandbox control endpoints, faults, access token, API version, body,
 *   routing, the upload and bulk-result files), answering every refusal in one error style;
 * - `graphql/`: parse and validate against the real Admin schema, calculated cost, the leaky
 *   bucket, execution and `extensions.cost`;
 * - `resolvers/`: the queries and mutations by resource, over `shop-store.ts`;
 * - `presenters/`: rows as Admin API objects;
 * - `bulk/` and `uploads/`: bulk operations and staged uploads, which own their types.
 * This file wires them together and holds the sandbox's own view (state, stats, reset, test hooks).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { ShopRecord, SynthOrder } from '../../synth/types.ts';
import { seededRandom } from '../../util/seeded-random.ts';
import { createFaultInjector, NO_FAULTS } from '../faults.ts';
import type { Fault, FaultSpec } from '../faults.ts';
import { createActivationStore } from './activation-store.ts';
import { adminSchema } from './admin-schema.ts';
import { createBulkOperations, DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS } from './bulk/bulk-operations.ts';
import type { InjectedBulkFailure } from './bulk/bulk-operations.ts';
import type { BulkGrouping, BulkOperationType } from './bulk/types.ts';
import { createFileEndpoints } from './edge/file-endpoints.ts';
import { createHttpEdge } from './edge/http-edge.ts';
import { createCostBucket } from './graphql/cost-bucket.ts';
import type { ShopifyPlan, ThrottleStatus } from './graphql/cost-bucket.ts';
import { createGraphQLPipeline } from './graphql/pipeline.ts';
import { DEFAULT_SANDBOX_SCOPES } from './resolvers/access-scopes.ts';
import type { WriteCounters } from './resolvers/context.ts';
import { createAdminRootValue } from './resolvers/root-value.ts';
import { applyOrderChange, createShopStore } from './shop-store.ts';
import type { OrderChange } from './shop-store.ts';
import { createOrderSimulator } from './simulate-orders.ts';
import { createStagedUploads } from './uploads/staged-uploads.ts';

export interface ShopifySandboxOptions {
  accessToken: string;
  /** e.g. `tiersync-sandbox.myshopify.com`. */
  shopDomain: string;
  records: Iterable<ShopRecord>;
  plan: ShopifyPlan;
  /** Seeds fault injection. */
  seed: number;
  faults?: FaultSpec;
  /** > 1 restores the cost bucket and runs bulk operations that many times faster. Default 1. */
  timeScale?: number;
  now?: () => number;
  /** Per type (queries, mutations); default 5, the limit since API 2026-01; 1 behaves as before it. */
  maxConcurrentBulkOperations?: number;
  /** The app's access scopes; default every scope tiersync needs (DEFAULT_SANDBOX_SCOPES). */
  scopes?: readonly string[];
  /** A bulk query's JSONL without `groupObjects`: children right after their parent, or anywhere (default). */
  bulkGrouping?: BulkGrouping;
}

export interface ShopifySandboxState {
  customers: { id: string; email: string | null; tags: string[] }[];
  orders: {
    id: string;
    customer_id: string | null;
    email: string | null;
    processed_at: string;
    current_total: string;
    cancelled_at: string | null;
    test: boolean;
  }[];
  /** Customer segments, `id` as the Admin API's gid. */
  segments: { id: string; name: string; query: string }[];
  metafield_definitions: { namespace: string; key: string; type: string; name: string }[];
}

export interface ShopifySandboxStats {
  /** Counts by operation (e.g. `query orders`, `mutation tagsAdd`) and HTTP status. */
  requests: Record<string, Record<string, number>>;
  writes: WriteCounters;
  throttled: number;
  /** Sum of the actual query cost of every executed request. */
  cost_consumed: number;
  faults: Record<Fault['kind'], number>;
  throttle_status: ThrottleStatus;
  /** The sandbox process's memory now, in bytes (`process.memoryUsage()`), to see what serving a sync costs. */
  memory: { rss: number; heap_used: number; heap_total: number; external: number; array_buffers: number };
}

export interface ShopifySandbox {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  state(): ShopifySandboxState;
  stats(): ShopifySandboxStats;
  reset(): void;
  /** Test hook: refund and/or cancel an order; its `updatedAt` moves to now. */
  mutateOrder(id: string, change: OrderChange): void;
  /** Test hook: add an order (e.g. a new purchase after a first sync). */
  addOrder(order: SynthOrder): void;
  /** Test hook: the next bulk operation of `type` ends FAILED with `errorCode` after that many root objects. */
  failNextBulkOperation(type: BulkOperationType, failure: InjectedBulkFailure): void;
  /** Test hook: the next request counted as `label` (e.g. `mutation bulkOperationRunQuery`) runs, but its answer is lost (socket closed). */
  loseNextAnswer(label: string): void;
  /** The shop's global id, e.g. `gid://shopify/Shop/63418230785`. */
  readonly shopId: string;
}

/** Keeps the simulated orders' random stream apart from the fault injector's of the same seed. */
const SIMULATE_SEED_SALT = 0x5e1f0a7d;

const optionsSchema = z.object({
  accessToken: z.string().min(1),
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'a myshopify.com domain, e.g. demo.myshopify.com'),
  plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']),
  seed: z.number().int(),
  timeScale: z.number().positive().optional(),
  maxConcurrentBulkOperations: z.number().int().positive().optional(),
  scopes: z.array(z.string().regex(/^(read|write)_[a-z_]+$/, 'an access scope such as read_orders')).optional(),
  bulkGrouping: z.enum(['grouped', 'scattered']).optional(),
});


/**
 * Creates the emulator; nothing listens until `listen()`.
 *
 * @example
 * const shopify = createShopifySandbox({ accessToken: 'sandbox-token', shopDomain: 'demo.myshopify.com',
 *   records: generateShop({ seed: 1, customers: 100, asOf: new Date() }), plan: 'standard', seed: 1 });
 * const base = await shopify.listen(0); // http://127.0.0.1:PORT
 */
export function createShopifySandbox(options: ShopifySandboxOptions): ShopifySandbox {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) throw new Error(`createShopifySandbox: invalid options: ${checked.error.message}`, { cause: checked.error });
  const now = options.now ?? Date.now;
  const timeScale = options.timeScale ?? 1;
  const schema = adminSchema();
  const store = createShopStore(options.records);
  const shopId = `gid://shopify/Shop/${sandboxShopNumber(options.seed, store.customerCount(), store.orderCount())}`;
  const scopes: ReadonlySet<string> = new Set(options.scopes ?? DEFAULT_SANDBOX_SCOPES);
  const lostAnswers = new Set<string>();
  const bucket = createCostBucket({ plan: options.plan, now, timeScale });
  let baseUrl = '';
  const writes: WriteCounters = { tags_added: 0, tags_removed: 0, metafields_set: 0, metafields_deleted: 0 };
  const counters = { requests: {} as Record<string, Record<string, number>>, throttled: 0, cost: 0, faults: { '5xx': 0, reset: 0, slow: 0, '429': 0 } };
  const newInjector = () => createFaultInjector(options.faults ?? NO_FAULTS, seededRandom(options.seed));
  let injector = newInjector();

  const uploads = createStagedUploads({ baseUrl: () => baseUrl });
  const activation = createActivationStore();
  const rootValue = createAdminRootValue({ store, shopId, shopDomain: options.shopDomain, scopes, now, writes, bulk: () => bulk, uploads: () => uploads, activation });
  const pipeline = createGraphQLPipeline({
    schema,
    rootValue,
    bucket,
    onThrottled: () => {
      counters.throttled += 1;
    },
    onCost: (actual) => {
      counters.cost += actual;
    },
  });
  const bulk = createBulkOperations({
    schema,
    execute: pipeline.execute,
    uploads,
    baseUrl: () => baseUrl,
    now,
    timeScale,
    maxConcurrent: options.maxConcurrentBulkOperations ?? DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS,
    grouping: options.bulkGrouping ?? 'scattered',
    seed: options.seed,
  });

  const handle = createHttpEdge({
    accessToken: options.accessToken,
    timeScale,
    pipeline,
    files: createFileEndpoints({ uploads, bulk, baseUrl: () => baseUrl }),
    control: { stats: () => sandbox.stats(), state: () => sandbox.state(), reset: () => sandbox.reset(), simulate: (orders) => simulator.simulate(orders) },
    faults: () => injector,
    loseAnswer: (label) => lostAnswers.delete(label),
    count(operation, status) {
      const byStatus = (counters.requests[operation] ??= {});
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
    },
    countFault(kind: Fault['kind']) {
      counters.faults[kind] += 1;
      return counters.faults[kind];
    },
  });

  const simulator = createOrderSimulator(store, () => seededRandom(options.seed ^ SIMULATE_SEED_SALT), now);
  let server: Server | undefined;

  const sandbox: ShopifySandbox = {
    listen(port = 0, host = '127.0.0.1') {
      const created = createServer((request, response) => void handle(request, response));
      server = created;
      return new Promise((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => {
          const address = created.address() as AddressInfo;
          baseUrl = `http://${host}:${address.port}`;
          resolve(baseUrl);
        });
      });
    },
    async close() {
      bulk.close();
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve, reject) => {
        current.close((error) => (error ? reject(error) : resolve()));
        current.closeAllConnections();
      });
    },
    state() {
      const customers = [...store.customers()].map((row) => ({ id: row.id, email: row.email, tags: [...row.tags] }));
      const orders = [...store.orders()].map((row) => ({
        id: row.id,
        customer_id: row.customerId,
        email: row.email,
        processed_at: row.processedAt,
        current_total: row.currentTotalPrice,
        cancelled_at: row.cancelledAt,
        test: row.test,
      }));
      const byId = (a: { id: string }, b: { id: string }) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);
      const segments = activation.segments().map((row) => ({ id: `gid://shopify/Segment/${row.id}`, name: row.name, query: row.query }));
      const metafieldDefinitions = activation.definitions().map((row) => ({ namespace: row.namespace, key: row.key, type: row.type, name: row.name }));
      return { customers: customers.sort(byId), orders: orders.sort(byId), segments, metafield_definitions: metafieldDefinitions };
    },
    stats() {
      return {
        requests: structuredClone(counters.requests),
        writes: { ...writes },
        throttled: counters.throttled,
        cost_consumed: counters.cost,
        faults: { ...counters.faults },
        throttle_status: bucket.status(),
        memory: processMemory(),
      };
    },
    reset() {
      store.reset();
      activation.reset();
      simulator.reset();
      bucket.reset();
      bulk.reset();
      uploads.reset();
      injector = newInjector();
      counters.requests = {};
      counters.throttled = 0;
      counters.cost = 0;
      counters.faults = { '5xx': 0, reset: 0, slow: 0, '429': 0 };
      writes.tags_added = 0;
      writes.tags_removed = 0;
      writes.metafields_set = 0;
      writes.metafields_deleted = 0;
    },
    mutateOrder(id, change) {
      const order = store.order(id);
      if (!order) throw new Error(`shopify sandbox: no order ${id}`);
      store.putOrder(applyOrderChange(order, change, new Date(now()).toISOString()));
    },
    failNextBulkOperation(type, failure) {
      bulk.failNext(type, failure);
    },
    loseNextAnswer(label) {
      lostAnswers.add(label);
    },
    shopId,
    addOrder(order) {
      if (store.order(order.id)) throw new Error(`shopify sandbox: order ${order.id} already exists`);
      store.putOrder(order);
    },
  };
  return sandbox;
}

/**
 * The sandbox shop's numeric id, from its seed and size (FNV-1a), so two sandboxes with another
 * seed or size are two shops to a store, as two real shops are. Shaped like a real shop id (11 digits).
 */
function sandboxShopNumber(seed: number, customers: number, orders: number): string {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${customers}:${orders}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return String(60_000_000_000 + (hash % 9_000_000_000));
}

function processMemory(): ShopifySandboxStats['memory'] {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap_used: usage.heapUsed, heap_total: usage.heapTotal, external: usage.external, array_buffers: usage.arrayBuffers };
}
