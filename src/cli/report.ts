import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { readCredentials } from '../config/env.ts';
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { createAsOfCheck } from '../core/as-of-check.ts';
import { readOrders } from '../ingest/read-orders.ts';
import { formatCount } from '../report/html/format.ts';
import { migrationWindows, type MigrationWindow } from '../report/html/migration-windows.ts';
import { buildReportModel, createReportCollector, type CollectedOrders } from '../report/html/report-model.ts';
import { renderReport } from '../report/html/render-report.ts';
import { readLift } from '../report/lift-readout.ts';
import { formatSummary } from '../report/summary-text.ts';
import { defaultStorePath, openStore, type Store } from '../store/open-store.ts';
import { freshModelFits } from '../sync/model-fits.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { UserError } from '../errors.ts';

/** Under out/ (git-ignored), not beside the sources. */
const DEFAULT_REPORT_PATH = 'out/report.html';

const optionsSchema = z
  .object({
    out: z.string().min(1).default(DEFAULT_REPORT_PATH),
    config: z.string().optional(),
    orders: z.string().min(1).optional(),
    asOf: isoDate('--as-of').optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter ISO currency code, e.g. USD').optional(),
    store: z.string().min(1).optional(),
  })
  .refine((options) => !options.orders || options.asOf, { path: ['asOf'], message: 'is required with --orders (the date the report is computed at)' });

type ReportOptions = z.output<typeof optionsSchema>;

/**
 * `tiersync report [--out FILE] [--config FILE] [--orders FILE --as-of DATE] [--store FILE] [--currency CODE]`
 *
 * @example
 * registerReport(program); // then: tiersync report  (writes out/report.html)
 */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write a self-contained HTML report (charts, cohorts, migration, health) of the latest sync, or of an orders file')
    .option('--out <file>', 'where to write the HTML', DEFAULT_REPORT_PATH)
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--orders <file>', 'report on this orders file instead of the store (needs --as-of)')
    .option('--as-of <iso-date>', 'compute at this date (default: the latest completed sync)')
    .option('--store <file>', 'order store (default ./.tiersync/<shop>.db); with --orders, used for migration only')
    .option('--currency <code>', 'shop currency (default: the orders\' most common currency, else USD)')
    .action(async (raw: unknown) => {
      await runReport(parseOptions(optionsSchema, raw));
    });
}

interface Source {
  readonly collected: CollectedOrders;
  readonly asOf: Date;
  readonly description: string;
  readonly store: Store | null;
  readonly shop: string | null;
  /** The snapshot of the sync being reported, when it is one. */
  readonly snapshotId?: number;
}

async function runReport(options: ReportOptions): Promise<void> {
  const started = performance.now();
  loadDotenv({ quiet: true });
  const config = await loadConfig(options.config, { explicit: options.config !== undefined });
  const source = options.orders ? await fromOrdersFile(options.orders, options, config) : fromStore(options, config);
  try {
    const currency = options.currency ?? source.collected.currency ?? 'USD';
    const migrations: MigrationWindow[] = source.store
      ? migrationWindows(source.store.snapshots, source.asOf.getTime(), source.collected.segments, config, source.snapshotId)
      : [];
    const model = buildReportModel(source.collected, {
      config,
      asOf: source.asOf,
      currency,
      shop: source.shop,
      source: source.description,
      migrations,
      ...(source.store && !options.orders ? { shopifySpendTiers: spendTiersOf(source.store), lift: readLift(source.store, config) } : {}),
    });
    const html = renderReport(model);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, html);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(formatSummary(model.summary, currency));
    process.stderr.write(
      `wrote ${options.out} (${formatCount(Buffer.byteLength(html) / 1024)} KB; ${formatCount(model.summary.customers)} customers as of ${source.asOf.toISOString()}) in ${seconds} s\n`,
    );
  } finally {
    source.store?.close();
  }
}

/** Shopify's own predicted spend tier of every customer the last sync read. */
function spendTiersOf(store: Store): Map<string, string | null> {
  const tiers = new Map<string, string | null>();
  for (const customer of store.customers.iterateCustomers()) tiers.set(customer.id, customer.predictedSpendTier);
  return tiers;
}

/** The shop's store: `--store`, else the default path of the shop named in the environment. */
function storePath(options: ReportOptions, required: boolean): { path: string; shop: string | null } | null {
  if (options.store) return { path: options.store, shop: null };
  if (!required && !process.env.SHOPIFY_SHOP) return null;
  const { shop } = readCredentials(process.env);
  return { path: defaultStorePath(shop), shop };
}

async function fromOrdersFile(path: string, options: ReportOptions, config: Config): Promise<Source> {
  const asOf = options.asOf!;
  const collector = createReportCollector(config, asOf);
  const asOfCheck = createAsOfCheck(asOf, config.history_days);
  await readOrders(
    path,
    (order) => {
      asOfCheck.add(order);
      collector.add(order);
    },
    { currency: options.currency ?? 'USD' },
  );
  const warning = asOfCheck.warning();
  if (warning) process.stderr.write(`${warning}\n`);
  const located = storePath(options, false);
  // Reading a report must not create an empty store: migration needs one that exists.
  const store = located && existsSync(located.path) ? openStore(located.path) : null;
  return { collected: collector.finish(), asOf, description: `orders file ${path}`, store, shop: located?.shop ?? null };
}

function fromStore(options: ReportOptions, config: Config): Source {
  const { path, shop } = storePath(options, true)!;
  if (!existsSync(path)) {
    throw new UserError(`${path}: no order store yet; run \`tiersync sync\` first, or pass --orders FILE --as-of DATE`);
  }
  const store = openStore(path);
  try {
    const { asOf, description, snapshotId } = reportTime(store, options.asOf);
    // The fits the sync at `asOf` reused or saved, so that predicted values (and tiers ranked
    // on them) match what it applied.
    const reuseFits = freshModelFits(store, config, asOf.getTime());
    const collector = createReportCollector(config, asOf, reuseFits ? { reuseFits } : {});
    // Only a date the user chose can make no sense for the data; the latest sync's always does.
    const asOfCheck = options.asOf ? createAsOfCheck(asOf, config.history_days) : null;
    for (const order of store.orders.iterateOrders()) {
      asOfCheck?.add(order);
      collector.add(order);
    }
    const warning = asOfCheck?.warning();
    if (warning) process.stderr.write(`${warning}\n`);
    return { collected: collector.finish(), asOf, description: `store ${path}, ${description}`, store, shop, ...(snapshotId === undefined ? {} : { snapshotId }) };
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The as-of of the latest sync that applied (its snapshot's: syncs compute as of the end of
 * their UTC day, and only applying syncs store a snapshot), unless `--as-of` says otherwise.
 */
function reportTime(store: Store, asOf: Date | undefined): { asOf: Date; description: string; snapshotId?: number } {
  if (asOf) return { asOf, description: `orders as of ${asOf.toISOString()}` };
  const snapshot = store.snapshots.latestSnapshotAtOrBefore(Number.MAX_SAFE_INTEGER);
  if (snapshot) {
    const description = snapshot.runId === null ? `snapshot ${snapshot.id}` : `run ${snapshot.runId}`;
    return { asOf: new Date(snapshot.asOf), description, snapshotId: snapshot.id };
  }
  throw new UserError(`${store.path}: no completed sync yet; run \`tiersync sync\` first, or pass --as-of DATE`);
}
