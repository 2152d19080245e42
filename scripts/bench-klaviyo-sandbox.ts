/**
 * How many requests a second the Klaviyo emulator sustains on loopback, driven from a second
 * process (this file re-run with `--load-client`), each scenario bounded by a request count and a
 * time limit. Run alone: `node --import tsx scripts/bench-klaviyo-sandbox.ts`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createKlaviyoSandbox } from '../src/sandbox/klaviyo/server.ts';

const API_KEY = 'pk_bench';
const REVISION = '2026-07-15';
const MAX_REQUESTS = 4000;
const MAX_SECONDS = 4;
const CONCURRENCY = 16;
const SEEDED_PROFILES = 2000;
/** Large enough that the published windows (1 s, 1 min) pass within a millisecond: capacity, not limits, is measured. */
const UNTHROTTLED_TIME_SCALE = 1_000_000;

type Scenario = 'get_profiles' | 'profile_import' | 'list_add_1000' | 'throttled';

const loadConfig = z.object({
  base: z.string(),
  scenario: z.enum(['get_profiles', 'profile_import', 'list_add_1000', 'throttled']),
  maxRequests: z.number().int().positive(),
  maxSeconds: z.number().positive(),
  concurrency: z.number().int().positive(),
  listId: z.string(),
  profileIds: z.array(z.string()),
});
type LoadConfig = z.infer<typeof loadConfig>;

const loadResult = z.object({ requests: z.number(), seconds: z.number(), statuses: z.record(z.string(), z.number()) });
type LoadResult = z.infer<typeof loadResult>;

function requestFor(config: LoadConfig, index: number): { method: string; path: string; body?: string } {
  switch (config.scenario) {
    case 'get_profiles':
      return { method: 'GET', path: '/api/profiles?page[size]=100' };
    case 'throttled':
      return { method: 'GET', path: '/api/lists' };
    case 'profile_import':
      return {
        method: 'POST',
        path: '/api/profile-import',
        body: JSON.stringify({
          data: { type: 'profile', attributes: { email: `bench${index % SEEDED_PROFILES}@example.com`, properties: { tiersync_tier: 'vip', n: index } } },
        }),
      };
    case 'list_add_1000':
      return {
        method: 'POST',
        path: `/api/lists/${config.listId}/relationships/profiles`,
        body: JSON.stringify({ data: config.profileIds.slice(0, 1000).map((id) => ({ type: 'profile', id })) }),
      };
  }
}

/** The second process: sends requests with `concurrency` workers until the count or the time runs out. */
async function runLoadClient(config: LoadConfig): Promise<LoadResult> {
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + config.maxSeconds * 1000;
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < config.maxRequests && performance.now() < deadline) {
      const request = requestFor(config, sent);
      sent += 1;
      const response = await fetch(`${config.base}${request.path}`, {
        method: request.method,
        headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: REVISION, 'Content-Type': 'application/vnd.api+json' },
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { requests: Object.values(statuses).reduce((sum, n) => sum + n, 0), seconds, statuses };
}

function runInSecondProcess(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--load-client', JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench load client for ${config.scenario} exited with ${code}`));
      try {
        resolve(loadResult.parse(JSON.parse(output)));
      } catch (error) {
        reject(new Error(`bench load client for ${config.scenario} printed no result: ${output.slice(0, 200)}`, { cause: error }));
      }
    });
  });
}

async function measure(scenario: Scenario, timeScale: number): Promise<LoadResult> {
  const initialProfiles = Array.from({ length: SEEDED_PROFILES }, (_, index) => ({ email: `bench${index}@example.com`, properties: { n: index } }));
  const sandbox = createKlaviyoSandbox({ apiKey: API_KEY, seed: 1, timeScale, initialProfiles });
  const base = await sandbox.listen(0);
  try {
    const created = await fetch(`${base}/api/lists`, {
      method: 'POST',
      headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: REVISION, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'list', attributes: { name: 'bench' } } }),
    });
    const listId = ((await created.json()) as { data: { id: string } }).data.id;
    const profileIds = sandbox.state().profiles.map((profile) => profile.id);
    return await runInSecondProcess({ base, scenario, maxRequests: MAX_REQUESTS, maxSeconds: MAX_SECONDS, concurrency: CONCURRENCY, listId, profileIds });
  } finally {
    await sandbox.close();
  }
}

/** Wall time for one 10,000-profile bulk import job from POST to `complete`, with windows scaled away. */
async function measureBulkJob(): Promise<number> {
  const sandbox = createKlaviyoSandbox({ apiKey: API_KEY, seed: 1, timeScale: UNTHROTTLED_TIME_SCALE });
  const base = await sandbox.listen(0);
  try {
    const started = performance.now();
    const profiles = Array.from({ length: 10_000 }, (_, index) => ({ type: 'profile', attributes: { email: `job${index}@example.com`, properties: { tier: 'vip' } } }));
    const response = await fetch(`${base}/api/profile-bulk-import-jobs`, {
      method: 'POST',
      headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: REVISION, 'Content-Type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'profile-bulk-import-job', attributes: { profiles: { data: profiles } } } }),
    });
    if (response.status !== 202) throw new Error(`bench: bulk import job answered ${response.status}`);
    const jobId = ((await response.json()) as { data: { id: string } }).data.id;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const job = await fetch(`${base}/api/profile-bulk-import-jobs/${jobId}`, { headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: REVISION } });
    const status = ((await job.json()) as { data: { attributes: { status: string } } }).data.attributes.status;
    if (status !== 'complete') throw new Error(`bench: bulk import job is ${status}, expected complete`);
    return performance.now() - started;
  } finally {
    await sandbox.close();
  }
}

/**
 * Runs every scenario (each ≤ 4,000 requests and ≤ 4 s, 16 concurrent connections from a child
 * process) and returns requests/s per scenario plus the status mix and the bulk job time.
 *
 * @example
 * const figures = await benchKlaviyoSandbox();
 * figures.get_profiles_rps; // requests/s of GET /api/profiles?page[size]=100, e.g. 223
 */
export async function benchKlaviyoSandbox(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const scenarios: [Scenario, number][] = [
    ['get_profiles', UNTHROTTLED_TIME_SCALE],
    ['profile_import', UNTHROTTLED_TIME_SCALE],
    ['list_add_1000', UNTHROTTLED_TIME_SCALE],
    ['throttled', 1],
  ];
  for (const [scenario, timeScale] of scenarios) {
    const result = await measure(scenario, timeScale);
    figures[`${scenario}_rps`] = Math.round(result.requests / result.seconds);
    figures[`${scenario}_requests`] = result.requests;
    figures[`${scenario}_statuses`] = Object.entries(result.statuses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, n]) => `${status}:${n}`)
      .join(' ');
  }
  figures.bulk_import_10k_profiles_ms = Math.round(await measureBulkJob());
  return figures;
}

if (process.argv[2] === '--load-client') {
  const result = await runLoadClient(loadConfig.parse(JSON.parse(process.argv[3] ?? '{}')));
  process.stdout.write(JSON.stringify(result));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchKlaviyoSandbox(), null, 2));
}
