/**
 * Klaviyo connector and order store bench, against the Klaviyo sandbox with its time scale on.
 *
 * - Profiles: 200,000 upserted through bulk import jobs, at BENCH_KLAVIYO_IMPORT_TIME_SCALE
 *   (default 1: the emulator's own CPU, in this process, cannot keep up with a faster clock).
 *   Submission rate as a share of the ideal schedule the published windows allow for that many
 *   jobs, and the rate including the emulator's job processing.
 * - Lists: 200,000 members added (200 calls, so the steady window binds) and 20,000 emails
 *   resolved to profile ids, at BENCH_KLAVIYO_LIST_TIME_SCALE (default 20).
 * - API calls per changed customer for upsert + id lookup + list add, and 429 counts.
 * - Store: 1,000,000 orders ingested (rows/s), read back, peak RSS of this process.
 *
 * Rates are in sandbox time (real seconds × time scale), the time the published limits are in.
 * Run alone: `node --import tsx scripts/bench-klaviyo.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createKlaviyoClient, type KlaviyoClient } from '../src/klaviyo/client.ts';
import { KLAVIYO_LIMITS, type PublishedLimit } from '../src/klaviyo/rate-limits.ts';
import { MAX_PROFILES_PER_JOB, type ProfileUpsert } from '../src/klaviyo/upsert-profiles.ts';
import { MAX_PROFILES_PER_LIST_CALL } from '../src/klaviyo/list-members.ts';
import { createKlaviyoSandbox } from '../src/sandbox/klaviyo/server.ts';
import { openStore } from '../src/store/open-store.ts';
import type { StoredOrder } from '../src/store/orders.ts';
import { seededRandom } from '../src/util/seeded-random.ts';

const API_KEY = 'pk_bench_klaviyo';
const CUSTOMERS = 200_000;
const LOOKUPS = 20_000;
const STORE_ORDERS = 1_000_000;
const STORE_BATCH = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * The least sandbox time `calls` requests can take under Klaviyo's fixed burst (1 s) and steady
 * (1 min) windows, sending each as early as allowed: until the end of the second in which the
 * last one goes out.
 *
 * @example
 * idealSeconds(200, { burstPerSecond: 10, steadyPerMinute: 150 }); // 65: 150 in 0–14 s, 50 in 60–64 s
 */
function idealSeconds(calls: number, limit: PublishedLimit): number {
  let second = 0;
  let sent = 0;
  let inMinute = 0;
  for (;;) {
    if (second % 60 === 0) inMinute = 0;
    const now = Math.min(limit.burstPerSecond, limit.steadyPerMinute - inMinute, calls - sent);
    sent += now;
    inMinute += now;
    if (sent >= calls) return second + 1;
    second += 1;
  }
}

function benchProfiles(n: number): ProfileUpsert[] {
  const tiers = ['champion', 'vip', 'high_value', 'mid_tier', 'low_value'];
  return Array.from({ length: n }, (_, i) => ({
    email: `bench${i}@example.com`,
    externalId: String(7_100_000_000 + i),
    properties: {
      tiersync_tier: tiers[i % tiers.length] as string,
      tiersync_ltv: round((i % 5000) * 1.37, 2),
      tiersync_rfm: `${(i % 5) + 1}${(i % 3) + 1}${(i % 4) + 1}`,
      tiersync_churn_risk: i % 101,
      tiersync_suppressed: i % 9 === 0,
      tiersync_updated_at: '2026-07-20T00:00:00Z',
    },
  }));
}

interface SandboxHandle {
  readonly baseUrl: string;
  state(): Promise<{ profiles: { id: string }[] }>;
  stats(): Promise<{ rate_limited: number }>;
}

/**
 * Runs the sandbox in a child process (this file with `--serve`), so that the emulator's CPU
 * does not delay the client's requests as it would on a shared event loop.
 */
async function withSandbox<T>(
  timeScale: number,
  initialProfiles: { email: string }[],
  run: (client: KlaviyoClient, sandbox: SandboxHandle) => Promise<T>,
): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    child.stdin.end(JSON.stringify({ timeScale, initialProfiles }));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench sandbox exited with code ${code}`)));
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
    });
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`);
      if (!response.ok) throw new Error(`bench sandbox ${path}: HTTP ${response.status}`);
      return response.json();
    };
    const client = createKlaviyoClient({ apiKey: API_KEY, baseUrl, sleep, now: Date.now, random: seededRandom(5), timeScale });
    return await run(client, { baseUrl, state: () => get('/__sandbox/state'), stats: () => get('/__sandbox/stats') });
  } finally {
    child.kill();
  }
}

/** The child side of {@link withSandbox}: options on stdin, base URL on stdout, runs until killed. */
async function serveSandbox(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const options = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timeScale: number; initialProfiles: { email: string }[] };
  const sandbox = createKlaviyoSandbox({ apiKey: API_KEY, seed: 11, ...options });
  process.stdout.write(`${await sandbox.listen(0, '127.0.0.1')}\n`);
}

const totalCalls = (client: KlaviyoClient) => Object.values(client.stats().requests).reduce((n, c) => n + (c ?? 0), 0);

async function benchImport(timeScale: number): Promise<Record<string, number | string>> {
  const profiles = benchProfiles(CUSTOMERS);
  return withSandbox(timeScale, [], async (client, sandbox) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const jobs = await client.upsertProfiles(profiles);
    const submitSeconds = seconds(started) * timeScale;
    const submitCpu = process.cpuUsage(cpuBefore);
    // One job at a time: the server runs them in parallel anyway, and 20 pollers only add calls.
    const results = [];
    for (const job of jobs) results.push(await client.waitForImportJob(job.jobId));
    const doneSeconds = seconds(started) * timeScale;
    const imported = results.reduce((n, r) => n + r.completedCount, 0);
    const ideal = idealSeconds(jobs.length, KLAVIYO_LIMITS.bulk_import_profiles);
    return {
      klaviyo_import_time_scale: timeScale,
      klaviyo_profiles: CUSTOMERS,
      klaviyo_import_jobs: jobs.length,
      klaviyo_profiles_imported: imported,
      klaviyo_profiles_submitted_per_s: round(CUSTOMERS / submitSeconds),
      klaviyo_profiles_ideal_per_s: round(CUSTOMERS / ideal),
      klaviyo_profiles_share_of_ceiling: round(ideal / submitSeconds, 3),
      klaviyo_profiles_steady_ceiling_per_s: (KLAVIYO_LIMITS.bulk_import_profiles.steadyPerMinute * MAX_PROFILES_PER_JOB) / 60,
      klaviyo_profiles_completed_per_s: round(imported / doneSeconds),
      klaviyo_client_cpu_s_submitting: round((submitCpu.user + submitCpu.system) / 1e6, 2),
      klaviyo_import_calls: totalCalls(client),
      klaviyo_import_429: client.stats().throttled,
      klaviyo_import_429_sandbox: (await sandbox.stats()).rate_limited,
    };
  });
}

async function benchLists(timeScale: number, importCalls: number): Promise<Record<string, number | string>> {
  const initial = Array.from({ length: CUSTOMERS }, (_, i) => ({ email: `bench${i}@example.com` }));
  return withSandbox(timeScale, initial, async (client, sandbox) => {
    let started = performance.now();
    const ids = await client.profileIdsForEmails(initial.slice(0, LOOKUPS).map((p) => p.email));
    const lookupSeconds = seconds(started) * timeScale;
    const lookupCalls = totalCalls(client);
    const memberIds = (await sandbox.state()).profiles.map((p) => p.id);
    const list = await client.findOrCreateList('tiersync: Bench');
    started = performance.now();
    const addCalls = await client.addListMembers(list.id, memberIds);
    const addSeconds = seconds(started) * timeScale;
    const ideal = idealSeconds(addCalls, KLAVIYO_LIMITS.add_profiles_to_list);
    const lookupCallsPerCustomer = lookupCalls / LOOKUPS;
    return {
      klaviyo_list_time_scale: timeScale,
      klaviyo_profile_ids_resolved: ids.size,
      klaviyo_profile_id_lookups_per_s: round(LOOKUPS / lookupSeconds),
      klaviyo_list_adds: memberIds.length,
      klaviyo_list_add_calls: addCalls,
      klaviyo_list_adds_per_s: round(memberIds.length / addSeconds),
      klaviyo_list_adds_ideal_per_s: round(memberIds.length / ideal),
      klaviyo_list_adds_share_of_ceiling: round(ideal / addSeconds, 3),
      klaviyo_list_429: client.stats().throttled,
      klaviyo_list_429_sandbox: (await sandbox.stats()).rate_limited,
      klaviyo_api_calls_per_changed_customer: round(importCalls / CUSTOMERS + lookupCallsPerCustomer + addCalls / memberIds.length, 4),
    };
  });
}

function benchOrder(i: number): StoredOrder {
  const at = Date.UTC(2024, 6, 1) + i * 60_000;
  return {
    id: `gid://shopify/Order/${5_100_000_000 + i}`,
    customerId: i % 17 === 0 ? null : `gid://shopify/Customer/${7_100_000_000 + (i % 250_000)}`,
    email: `bench${i % 250_000}@example.com`,
    processedAt: at,
    updatedAt: at + 3_600_000,
    totalCents: 1_000 + ((i * 7919) % 90_000),
    currency: 'USD',
    cancelled: i % 50 === 0,
    test: i % 500 === 0,
    lines: [
      { productType: 'Shoes', quantity: 1 + (i % 3) },
      ...(i % 2 === 0 ? [{ productType: 'Socks', quantity: 2 }] : []),
    ],
  };
}

function benchStore(): Record<string, number | string> {
  const dir = mkdtempSync(join(tmpdir(), 'tiersync-bench-store-'));
  const store = openStore(join(dir, 'bench.db'));
  try {
    let ingestSeconds = 0;
    for (let first = 0; first < STORE_ORDERS; first += STORE_BATCH) {
      const batch: StoredOrder[] = [];
      for (let i = first; i < Math.min(STORE_ORDERS, first + STORE_BATCH); i++) batch.push(benchOrder(i));
      const started = performance.now();
      store.orders.upsertOrders(batch);
      ingestSeconds += seconds(started);
    }
    const started = performance.now();
    let read = 0;
    for (const order of store.orders.iterateOrders()) read += order.lines.length > 0 ? 1 : 0;
    const readSeconds = seconds(started);
    return {
      store_orders: STORE_ORDERS,
      store_ingest_rows_per_s: round(STORE_ORDERS / ingestSeconds),
      store_iterate_rows_per_s: round(read / readSeconds),
      store_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeScaleFrom(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0)) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

/** The figures, store first so that its peak RSS is not the sandbox's. */
export async function benchKlaviyo(): Promise<Record<string, number | string>> {
  const store = benchStore();
  const imports = await benchImport(timeScaleFrom('BENCH_KLAVIYO_IMPORT_TIME_SCALE', 1));
  const lists = await benchLists(timeScaleFrom('BENCH_KLAVIYO_LIST_TIME_SCALE', 20), Number(imports.klaviyo_import_calls));
  return { ...store, ...imports, ...lists };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--serve') {
  await serveSandbox();
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchKlaviyo();
  for (const [name, value] of Object.entries(figures)) console.log(`${name.padEnd(44)} ${value}`);
}
