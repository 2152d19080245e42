/**
 * End-to-end sync bench (issues 5 and 12): a sandbox shop in a child process
 * (`tiersync sandbox --time-scale N`), then a first sync and a no-change second sync in this
 * process. Prints wall time per phase, peak RSS, bytes written (this process's
 * /proc/self/io write_bytes), the store's size, API calls per changed customer and the share
 * of each rate-limit ceiling used. Times at the sandbox's scale: rate-bound phases take about
 * N× longer against the real APIs.
 * Run alone: `node --import tsx scripts/bench-sync.ts [customers=100000] [timeScale=20]`
 * (the 500k case: `nice node --import tsx scripts/bench-sync.ts 500000 50`).
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../src/config/load-config.ts';
import { readCredentials } from '../src/config/env.ts';
import { KLAVIYO_LIMITS, type KlaviyoEndpoint } from '../src/klaviyo/rate-limits.ts';
import { createProgress, type Progress } from '../src/sync/progress.ts';
import { syncWith } from '../src/cli/sync-dependencies.ts';
import type { SyncReport } from '../src/sync/run-sync.ts';

const BIN = join(import.meta.dirname, '../bin/tiersync.js');

/** The peak of each kind of memory (MB) over some stretch of the run. */
interface MemoryPeaks { rss: number; heapUsed: number; external: number; arrayBuffers: number }

const SAMPLE_MS = 250;

/**
 * Samples process.memoryUsage() every 250 ms (an unref'd timer), and at every phase start,
 * end and tick at most every 250 ms (a synchronous phase blocks the timer), and keeps each kind's
 * peak per stretch: every phase open at the sample (phases nest and overlap), else the gap
 * after the last phase that ended. Phase-end figures alone miss a transient peak inside a phase.
 */
function memorySampler() {
  const open = new Set<MemoryPeaks>();
  const gaps: { after: string; peaks: MemoryPeaks }[] = [{ after: 'start', peaks: emptyPeaks() }];
  let lastSample = 0;
  const sample = () => {
    lastSample = performance.now();
    const usage = process.memoryUsage();
    const targets = open.size ? open : [gaps[gaps.length - 1]!.peaks];
    for (const peaks of targets) {
      peaks.rss = Math.max(peaks.rss, usage.rss);
      peaks.heapUsed = Math.max(peaks.heapUsed, usage.heapUsed);
      peaks.external = Math.max(peaks.external, usage.external);
      peaks.arrayBuffers = Math.max(peaks.arrayBuffers, usage.arrayBuffers);
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    /** Starts a stretch for a phase; its peaks fill until `close`. */
    open(): MemoryPeaks {
      sample();
      const peaks = emptyPeaks();
      open.add(peaks);
      sample();
      return peaks;
    },
    close(peaks: MemoryPeaks, name: string): void {
      sample();
      open.delete(peaks);
      if (!open.size) gaps.push({ after: name, peaks: emptyPeaks() });
    },
    /** A sample unless one was taken in the last 250 ms. */
    maybeSample(): void {
      if (performance.now() - lastSample >= SAMPLE_MS) sample();
    },
    /** The stretches between phases, each named after the phase it follows (those that sampled anything). */
    gaps: () => gaps.filter((gap) => gap.peaks.rss > 0),
    stop(): void {
      sample();
      clearInterval(timer);
    },
  };
}

function emptyPeaks(): MemoryPeaks {
  return { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
}

const mb = (bytes: number) => Math.round(bytes / 1e6);
const peaksText = (peaks: MemoryPeaks) => `${mb(peaks.rss)}, ${mb(peaks.heapUsed)}, ${mb(peaks.external)}, ${mb(peaks.arrayBuffers)}`;

/**
 * A Progress that records how long each phase took, the live heap after it (after a full
 * GC when run with --expose-gc, as `npm run bench` does; else the heap as it stands) and the
 * peaks of RSS, heap, external and array buffers while it ran, and shows the run's progress
 * lines on stderr.
 */
function timingProgress(lines: Progress) {
  const memory = memorySampler();
  const phases: { name: string; seconds: number; count: number; heapMb: number; writtenMb: number | null; peakRssMb: number; peaks: MemoryPeaks }[] = [];
  const progress: Progress = {
    phase(name, total) {
      const started = performance.now();
      const writtenBefore = bytesWritten();
      const peaks = memory.open();
      const shown = lines.phase(name, total);
      let count = 0;
      return {
        setTotal: (n) => shown.setTotal(n),
        tick: (n = 1) => {
          count += n;
          shown.tick(n);
          memory.maybeSample();
        },
        done: (note) => {
          memory.close(peaks, name);
          shown.done(note);
          (globalThis as { gc?: () => void }).gc?.();
          const writtenAfter = bytesWritten();
          phases.push({
            name, seconds: (performance.now() - started) / 1000, count, heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
            writtenMb: writtenBefore === null || writtenAfter === null ? null : Math.round((writtenAfter - writtenBefore) / 1e6),
            peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), peaks,
          });
        },
      };
    },
    log: (message) => lines.log(message),
    stop: () => lines.stop(),
  };
  return { progress, phases, memory };
}

async function startSandboxProcess(customers: number, timeScale: number) {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--customers', String(customers), '--time-scale', String(timeScale), '--seed', '7'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const env: Record<string, string> = {};
  for await (const line of createInterface({ input: child.stdout! })) {
    const [key, ...value] = line.split('=');
    if (key) env[key] = value.join('=');
    if (key === 'TIERSYNC_KLAVIYO_URL') break;
  }
  return {
    env,
    /** The sandbox process's peak resident memory (Linux; null elsewhere). */
    peakRssMb(): number | null {
      try {
        const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return match ? Math.round(Number(match[1]) / 1024) : null;
      } catch {
        return null;
      }
    },
    stop: () => child.kill('SIGTERM'),
  };
}

/**
 * GET on a connection of its own (`agent: false`), never a pooled keep-alive socket: the sync in
 * this process shares fetch's pool, and after a sync that kept this event loop busy past the
 * sandbox's 5 s keep-alive (node:http's default), fetch reused a socket the sandbox had already
 * closed ("other side closed") although the sandbox was answering.
 */
function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error as Error);
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** The sandbox's counters; empty when it does not answer (figures from it then read 0, said in `stats unavailable`). */
async function stats(url: string) {
  type Stats = Record<string, unknown> & { requests: Record<string, Record<string, number>> };
  try {
    return (await getJson(`${url}/__sandbox/stats`)) as Stats;
  } catch (error) {
    process.stderr.write(`bench: ${url}/__sandbox/stats did not answer (${(error as Error).message})\n`);
    return { requests: {}, unavailable: true } as Stats;
  }
}

/** Bytes this process has had written to storage so far (Linux; null elsewhere). */
function bytesWritten(): number | null {
  try {
    const match = /^write_bytes: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** The store file and its WAL, in bytes. */
function storeBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`]) {
    try {
      total += statSync(file).size;
    } catch {
      // no WAL (checkpointed and truncated)
    }
  }
  return total;
}

const count = (requests: Record<string, Record<string, number>>) => Object.values(requests).reduce((sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function benchSync(customers = 100_000, timeScale = 20): Promise<Record<string, number | string>> {
  const started = performance.now();
  const sandbox = await startSandboxProcess(customers, timeScale);
  const figures: Record<string, number | string> = { 'sync shop customers': customers, 'sync time scale': timeScale, 'sandbox start s': round((performance.now() - started) / 1000, 1) };
  const dir = await mkdtemp(join(tmpdir(), 'tiersync-bench-sync-'));
  try {
    const credentials = readCredentials(sandbox.env);
    const config = parseConfig({}, 'defaults');
    const storePath = join(dir, 'shop.db');
    const run = async (label: string): Promise<SyncReport> => {
      const timing = timingProgress(createProgress(process.stderr, Date.now, { json: false }));
      const writtenBefore = bytesWritten();
      const before = { shopify: await stats(credentials.shopifyBaseUrl), klaviyo: await stats(credentials.klaviyoBaseUrl) };
      const t0 = performance.now();
      const cpuBefore = process.cpuUsage();
      const report = await syncWith(
        { credentials, storePath, now: Date.now, sleep: (ms) => delay(ms), random: Math.random, progress: timing.progress, klaviyoTimeScale: timeScale },
        { mode: 'sync', force: false, config },
      );
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const after = { shopify: await stats(credentials.shopifyBaseUrl), klaviyo: await stats(credentials.klaviyoBaseUrl) };
      if (after.shopify.unavailable || after.klaviyo.unavailable) figures[`${label} stats unavailable`] = 'yes';
      figures[`${label} wall s`] = round(wall, 1);
      // Steadier than wall time on a loaded machine; this process only (the sandbox runs in its own).
      figures[`${label} CPU s`] = round((cpu.user + cpu.system) / 1e6, 1);
      const writtenAfter = bytesWritten();
      const store = storeBytes(storePath);
      figures[`${label} bytes written MB`] = writtenBefore === null || writtenAfter === null ? 'n/a' : round((writtenAfter - writtenBefore) / 1e6, 1);
      figures[`${label} store size MB`] = round(store / 1e6, 1);
      if (writtenBefore !== null && writtenAfter !== null) figures[`${label} writes / store`] = round((writtenAfter - writtenBefore) / Math.max(1, store), 2);
      figures[`${label} peak RSS so far MB`] = Math.round(process.resourceUsage().maxRSS / 1024);
      timing.memory.stop();
      for (const phase of timing.phases) {
        figures[`${label} ${phase.name} s (live heap after MB, written MB, peak RSS so far MB; in-phase peak RSS, heap, external, arrayBuffers MB)`] =
          `${round(phase.seconds, 2)} (${phase.heapMb}, ${phase.writtenMb ?? 'n/a'}, ${phase.peakRssMb}; ${peaksText(phase.peaks)})`;
      }
      for (const gap of timing.memory.gaps()) {
        figures[`${label} between phases after ${gap.after}: peak RSS, heap, external, arrayBuffers MB`] = peaksText(gap.peaks);
      }
      const shopifyCalls = count(after.shopify.requests) - count(before.shopify.requests);
      const klaviyoCalls = count(after.klaviyo.requests) - count(before.klaviyo.requests);
      const changed = report.plan.changedCustomers;
      figures[`${label} operations`] = Object.values(report.plan.counts).reduce((a, b) => a + b, 0);
      figures[`${label} changed customers`] = changed;
      // Native segments and metafield definitions: planned, then confirmed and failed (each failure named).
      const activationPlanned = report.activation.operations.length;
      const activationApplied = report.applied?.activation;
      figures[`${label} activation operations planned, confirmed, failed`] = activationApplied
        ? `${activationPlanned}, ${Object.values(activationApplied.confirmedByKind).reduce((a, b) => a + b, 0)}, ${activationApplied.failed.length}`
        : `${activationPlanned}, not applied`;
      for (const failure of activationApplied?.failed ?? []) figures[`${label} activation failed ${failure.target}`] = failure.error;
      figures[`${label} Shopify calls`] = shopifyCalls;
      figures[`${label} Klaviyo calls`] = klaviyoCalls;
      figures[`${label} API calls per changed customer`] = changed ? round((shopifyCalls + klaviyoCalls) / changed, 4) : 0;
      figures[`${label} Shopify THROTTLED`] = Number(after.shopify.throttled) - Number(before.shopify.throttled);
      figures[`${label} Klaviyo 429`] = Number(after.klaviyo.rate_limited) - Number(before.klaviyo.rate_limited);
      const cost = Number(after.shopify.cost_consumed) - Number(before.shopify.cost_consumed);
      // Standard plan: 100 points/s, restored timeScale× faster in the sandbox.
      figures[`${label} Shopify cost share of bucket restore`] = round(cost / (100 * timeScale * wall), 4);
      const imports = (after.klaviyo.requests.bulk_import_profiles ? count({ a: after.klaviyo.requests.bulk_import_profiles }) : 0) -
        (before.klaviyo.requests.bulk_import_profiles ? count({ a: before.klaviyo.requests.bulk_import_profiles }) : 0);
      // Bulk import jobs: 150 a minute steady, timeScale× faster in the sandbox.
      figures[`${label} Klaviyo import jobs`] = imports;
      figures[`${label} Klaviyo import share of steady limit`] = round(imports / ((150 * timeScale * wall) / 60), 4);
      // Every other Klaviyo endpoint against its published steady limit (per minute, timeScale× faster here).
      for (const [endpoint, byStatus] of Object.entries(after.klaviyo.requests)) {
        const limit = KLAVIYO_LIMITS[endpoint as KlaviyoEndpoint];
        const calls = count({ a: byStatus }) - (before.klaviyo.requests[endpoint] ? count({ a: before.klaviyo.requests[endpoint] }) : 0);
        if (!limit || calls === 0) continue;
        figures[`${label} Klaviyo ${endpoint} calls (share of steady limit)`] = `${calls} (${round(calls / ((limit.steadyPerMinute * timeScale * wall) / 60), 4)})`;
      }
      // Each run's figures as soon as they are known: a later failure loses none of them.
      process.stderr.write(`bench: ${JSON.stringify(figures)}\n`);
      return report;
    };
    await run('first sync');
    await run('second sync');
    figures['sync peak RSS MB'] = Math.round(process.resourceUsage().maxRSS / 1024);
    figures['sandbox peak RSS MB'] = sandbox.peakRssMb() ?? 'n/a';
    return figures;
  } finally {
    sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchSync(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 20));
  for (const [key, value] of Object.entries(result)) process.stdout.write(`${key}: ${value}\n`);
}
