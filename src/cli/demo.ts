import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.ts';
import { readCredentials } from '../config/env.ts';
import { readLift } from '../report/lift-readout.ts';
import { formatLift } from '../report/lift-text.ts';
import { formatSyncReport } from '../report/sync-text.ts';
import { openStore } from '../store/open-store.ts';
import { startSandbox, type RunningSandbox } from '../sandbox/start-sandbox.ts';
import { createProgress } from '../sync/progress.ts';
import { syncWith } from './sync-dependencies.ts';
import { parseOptions } from './parse-options.ts';

const DEMO_STORE = '.tiersync/demo.db';
const REPORT_PATH = 'out/report.html';
const BIN = fileURLToPath(new URL('../../bin/tiersync.js', import.meta.url));

const wholeNumber = (flag: string, min: number, max: number) =>
  z.string().regex(/^\d+$/, `${flag} must be a whole number`).transform(Number).refine((n) => n >= min && n <= max, `${flag} must be between ${min} and ${max}`);

const optionsSchema = z.object({
  customers: wholeNumber('--customers', 10, 1_000_000).default(10_000),
  seed: wholeNumber('--seed', 0, 2 ** 32 - 1).default(1),
  timeScale: wholeNumber('--time-scale', 1, 10_000).default(20),
  config: z.string().optional(),
});

/**
 * `tiersync demo` (what `npm start` runs): starts the sandbox with a synthetic shop, runs a
 * full sync against it with the progress display, then a second sync that writes nothing,
 * and shows the sandbox's own counters as proof; then the shop moves on (simulated orders), a
 * dry run pulls them and shows the migration, and `lift` compares treated and held-out
 * customers. Needs no account and no `.env`.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a full sync, a no-change sync, then new orders and the holdout lift, against the embedded sandbox (no accounts needed)')
    .option('--customers <n>', 'customers in the synthetic shop', '10000')
    .option('--seed <n>', 'seed of the synthetic shop', '1')
    .option('--time-scale <n>', 'run the sandbox\'s rate limits and bulk jobs N times faster', '20')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      const config = await loadConfig(options.config, { explicit: options.config !== undefined });
      const say = (line: string) => process.stdout.write(`${line}\n`);
      say(`tiersync demo: starting the sandbox with ${options.customers} synthetic customers (seed ${options.seed}, rate limits ${options.timeScale}× faster)…`);
      const sandbox = await startSandbox({ customers: options.customers, seed: options.seed, timeScale: options.timeScale });
      try {
        say(`sandbox: Shopify Admin API at ${sandbox.shopifyUrl}, Klaviyo API at ${sandbox.klaviyoUrl} (${sandbox.counts.orders} orders)`);
        await rm(DEMO_STORE, { force: true });
        await rm(`${DEMO_STORE}-wal`, { force: true });
        await rm(`${DEMO_STORE}-shm`, { force: true });
        const run = (mode: 'sync' | 'plan' = 'sync') =>
          syncWith(
            {
              credentials: readCredentials(sandbox.env), storePath: DEMO_STORE, now: Date.now, sleep: (ms) => delay(ms), random: Math.random,
              progress: createProgress(process.stderr, Date.now), klaviyoTimeScale: options.timeScale,
            },
            { mode, force: false, config },
          );

        say('\n== first sync: everything is new ==');
        const first = await run();
        say(formatSyncReport(first));
        const before = await writes(sandbox);

        say('== second sync, no new orders: it should write nothing ==');
        const second = await run();
        say(formatSyncReport(second));
        const after = await writes(sandbox);
        const unchanged = JSON.stringify(before) === JSON.stringify(after);
        say(`sandbox writes after the first sync:  ${JSON.stringify(before)}`);
        say(`sandbox writes after the second sync: ${JSON.stringify(after)}  ${unchanged ? '(unchanged: zero writes)' : '(CHANGED)'}`);

        const newOrders = Math.max(100, Math.round(options.customers / 4));
        say(`\n== the shop moves on: ${newOrders} new orders (POST /__sandbox/simulate), pulled by a dry run ==`);
        await fetch(`${sandbox.shopifyUrl}/__sandbox/simulate`, { method: 'POST', body: JSON.stringify({ orders: newOrders }) });
        say(formatSyncReport(await run('plan')));
        say('The dry run wrote nothing to Shopify or Klaviyo (a burst of orders this size moves many ranks at once, hence the guard);');
        say('it did pull the new orders into the store, so lift can count them:\n');
        const store = openStore(DEMO_STORE);
        try {
          const lift = readLift(store, config);
          if (lift) say(formatLift(lift, store.orders.mostCommonCurrency() ?? 'USD', config.holdout.lift_min_customers));
        } finally {
          store.close();
        }
        const report = await writeReport(options.config ? ['--config', options.config] : []);
        say(report.ok ? `\nThe report of this run: ${REPORT_PATH} (open it in a browser).` : `\nThe report could not be written: ${report.error}`);
        say(`The store is ${DEMO_STORE}. Next: npx tiersync sandbox (keep it running), then npx tiersync plan / sync against it; see README.md.`);
        if (!unchanged) process.exitCode = 1;
      } finally {
        await sandbox.close();
      }
    });
}

/** `tiersync report` on the demo's store, as its own process (what a user would run). */
async function writeReport(configArgs: string[]): Promise<{ ok: true } | { ok: false; error: string }> {
  await mkdir('out', { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'report', '--store', DEMO_STORE, '--out', REPORT_PATH, ...configArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve(code === 0 ? { ok: true } : { ok: false, error: stderr.trim().split('\n').at(-1) ?? `exit ${code}` }));
  });
}

async function writes(sandbox: RunningSandbox) {
  const [shopify, klaviyo] = await Promise.all(
    [sandbox.shopifyUrl, sandbox.klaviyoUrl].map(async (url) => ((await (await fetch(`${url}/__sandbox/stats`)).json()) as { writes: unknown }).writes),
  );
  return { shopify, klaviyo };
}
