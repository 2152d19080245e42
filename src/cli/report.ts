import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.ts';
import { formatCount } from '../report/html/format.ts';
import { migrationWindows, type MigrationWindow } from '../report/html/migration-windows.ts';
import { buildReportModel } from '../report/html/report-model.ts';
import { renderReport } from '../report/html/render-report.ts';
import { readLift } from '../report/lift-readout.ts';
import { formatSummary } from '../report/summary-text.ts';
import type { Store } from '../store/open-store.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { readSegmentsSource } from './segments-source.ts';

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

async function runReport(options: ReportOptions): Promise<void> {
  const started = performance.now();
  loadDotenv({ quiet: true });
  const config = await loadConfig(options.config, { explicit: options.config !== undefined });
  const source = await readSegmentsSource(options, config);
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
