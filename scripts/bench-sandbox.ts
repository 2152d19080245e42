/**
 * How fast the Shopify sandbox is: requests/s it sustains on loopback (the sandbox runs in a
 * child process, `tiersync sandbox`; the load comes from this process, each scenario bounded by
 * a request count and a time limit), and how long generating and loading 100,000 customers takes
 * (child start-up to the printed environment, minus the start-up of an empty shop).
 * Run alone: `node --import tsx scripts/bench-sandbox.ts`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ORDER_FIELDS } from '../src/shopify/documents/orders-bulk-query.ts';

const BIN = fileURLToPath(new URL('../bin/tiersync.js', import.meta.url));
const CONCURRENCY = 16;
const MAX_REQUESTS = 20_000;
const SECONDS_PER_SCENARIO = 1.5;
const WARM_UP_REQUESTS = 50;
/** Large enough that the cost bucket never throttles: capacity, not the rate limit, is measured. */
const UNTHROTTLED_TIME_SCALE = 1_000_000;

interface ChildSandbox {
  env: Record<string, string>;
  startupMs: number;
  stop(): Promise<void>;
}

function startChildSandbox(args: string[]): Promise<ChildSandbox> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`tiersync sandbox ${args.join(' ')} exited with ${code}: ${stderr.slice(0, 500)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const lines = stdout.split('\n');
      if (lines.length <= 5) return;
      const env = Object.fromEntries(lines.slice(0, 5).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      resolve({
        env,
        startupMs: performance.now() - started,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

interface LoadResult {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
}

async function load(env: Record<string, string>, body: (index: number) => { query: string; variables?: Record<string, unknown> }): Promise<LoadResult> {
  const url = `${env.TIERSYNC_SHOPIFY_URL}/admin/api/2026-07/graphql.json`;
  const headers = { 'content-type': 'application/json', 'x-shopify-access-token': env.SHOPIFY_ADMIN_TOKEN as string };
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + SECONDS_PER_SCENARIO * 1000;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < MAX_REQUESTS && performance.now() < deadline) {
      const index = sent;
      sent += 1;
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body(index)) });
      const answer = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      const key = answer.errors ? `${response.status}:${answer.errors[0]?.extensions?.code ?? 'error'}` : String(response.status);
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { requests: sent, seconds: (performance.now() - started) / 1000, statuses };
}

/**
 * Returns requests/s per scenario (16 concurrent connections, ≤ 1.5 s each) and start-up times.
 *
 * @example
 * const figures = await benchSandbox();
 * figures.shop_query_rps; // e.g. 3000
 */
export async function benchSandbox(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const sandbox = await startChildSandbox(['--customers', '10000', '--seed', '1', '--plan', 'enterprise', '--time-scale', String(UNTHROTTLED_TIME_SCALE)]);
  try {
    const customerIds = await firstCustomerIds(sandbox.env, 250);
    const scenarios: [string, (index: number) => { query: string; variables?: Record<string, unknown> }][] = [
      ['shop_query', () => ({ query: '{ shop { name currencyCode } }' })],
      [
        'orders_page_50',
        () => ({ query: `{ orders(first: 50, sortKey: ID) { edges { node { ${ORDER_FIELDS} lineItems(first: 5) { nodes { quantity product { productType } } } } } pageInfo { endCursor } } }` }),
      ],
      [
        'tags_add',
        (index) => ({
          query: 'mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }',
          variables: { id: customerIds[index % customerIds.length], tags: [`bench:${index % 7}`] },
        }),
      ],
    ];
    for (const [name, body] of scenarios) {
      await warmUp(sandbox.env, body);
      const result = await load(sandbox.env, body);
      figures[`${name}_rps`] = Math.round(result.requests / result.seconds);
      figures[`${name}_requests`] = result.requests;
      figures[`${name}_statuses`] = Object.entries(result.statuses).map(([status, n]) => `${status}:${n}`).join(' ');
    }
  } finally {
    await sandbox.stop();
  }

  const empty = await startChildSandbox(['--customers', '0']);
  await empty.stop();
  const large = await startChildSandbox(['--customers', '100000', '--seed', '1']);
  await large.stop();
  figures.startup_empty_shop_ms = Math.round(empty.startupMs);
  figures.startup_100k_customers_ms = Math.round(large.startupMs);
  figures.generate_and_load_100k_customers_ms = Math.round(large.startupMs - empty.startupMs);
  return figures;
}

/** A few unmeasured requests first, so the figures are not the JIT's warm-up. */
async function warmUp(env: Record<string, string>, body: (index: number) => { query: string; variables?: Record<string, unknown> }): Promise<void> {
  for (let index = 0; index < WARM_UP_REQUESTS; index += 1) {
    const response = await fetch(`${env.TIERSYNC_SHOPIFY_URL}/admin/api/2026-07/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': env.SHOPIFY_ADMIN_TOKEN as string },
      body: JSON.stringify(body(index)),
    });
    await response.arrayBuffer();
  }
}

async function firstCustomerIds(env: Record<string, string>, count: number): Promise<string[]> {
  const response = await fetch(`${env.TIERSYNC_SHOPIFY_URL}/admin/api/2026-07/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': env.SHOPIFY_ADMIN_TOKEN as string },
    body: JSON.stringify({ query: `{ customers(first: ${count}) { nodes { id } } }` }),
  });
  const answer = (await response.json()) as { data: { customers: { nodes: { id: string }[] } } };
  return answer.data.customers.nodes.map((node) => node.id);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchSandbox(), null, 2));
}
