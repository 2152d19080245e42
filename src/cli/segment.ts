import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.ts';
import { formatMinorUnits } from '../core/money.ts';
import { createSegmentationRun } from '../core/run-segmentation.ts';
import { summarize } from '../core/summary.ts';
import { createAsOfCheck } from '../core/as-of-check.ts';
import { readOrdersForFacts } from '../ingest/read-orders.ts';
import { openRejectsFile } from '../ingest/rejects-file.ts';
import { formatSkipped } from '../report/skipped-text.ts';
import { describeModel, formatSummary } from '../report/summary-text.ts';
import { predictInWorker } from '../model/predict-in-worker.ts';
import { writeSegments } from '../report/write-segments.ts';
import { parseOptions } from './parse-options.ts';
import { isoDate } from './option-types.ts';

const optionsSchema = z.object({
  orders: z.string().min(1),
  asOf: isoDate('--as-of'),
  format: z.enum(['csv', 'jsonl']).optional(),
  out: z.string().optional(),
  config: z.string().optional(),
  rejects: z.string().min(1).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter ISO currency code, e.g. USD').default('USD'),
});

/** `tiersync segment --orders FILE --as-of ISO_DATE [--format csv|jsonl] [--out FILE] [--rejects FILE]` */
export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description('compute every customer\'s tier and RFM overlays from an orders file (no API calls)')
    .requiredOption('--orders <file>', 'orders: Shopify bulk JSONL, Shopify "Export orders" CSV, or a CSV with customer_id,processed_at,total')
    .requiredOption('--as-of <iso-date>', 'the time the segmentation is computed at, e.g. 2026-11-25 or 2026-11-25T00:00:00Z')
    .option('--format <format>', 'output format: csv or jsonl (default: from --out, else csv)')
    .option('--out <file>', 'write rows here instead of stdout')
    .option('--config <file>', 'config file (default config/tiersync.json)')
    .option('--rejects <file>', 'write every skipped input row here as CSV (line, kind, reason, raw)')
    .option('--currency <code>', 'shop currency when the file does not say', 'USD')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      await runSegment(options);
    });
}

async function runSegment(options: z.output<typeof optionsSchema>): Promise<void> {
  const config = await loadConfig(options.config, { explicit: options.config !== undefined });
  const run = createSegmentationRun(config, options.asOf);
  const asOfCheck = createAsOfCheck(options.asOf, config.history_days);
  const rejects = options.rejects ? openRejectsFile(options.rejects) : null;
  const read = await readOrdersForFacts(
    options.orders,
    (order) => {
      asOfCheck.add(order);
      run.add(order);
    },
    { currency: options.currency, ...(rejects ? { onReject: rejects.write } : {}) },
  ).finally(() => rejects?.close());
  const { segments, counts, model } = await run.finishColumnsWith(predictInWorker);
  const format = options.format ?? (options.out?.endsWith('.jsonl') ? 'jsonl' : 'csv');
  await writeSegments(segments, format, options.out);

  const summary = summarize(segments, config);
  const warning = asOfCheck.warning();
  const lines = [
    ...(warning ? [warning] : []),
    `read ${read.orders} orders (${read.format}); ${formatSkipped(read, options.rejects)}`,
    `excluded: ${counts.test} test, ${counts.cancelled} cancelled, ${counts.afterAsOf} after --as-of; ` +
      `${counts.guest} guest orders (${formatMinorUnits(counts.guestRevenueCents, options.currency)} ${options.currency}) counted apart, not segmented`,
    '',
    ...(model ? [describeModel(model), ''] : []),
    formatSummary(summary, options.currency),
    ...(options.out ? [`wrote ${options.out} (${segments.length} customers, ${format})`, ''] : []),
  ];
  process.stderr.write(`${lines.join('\n')}`);
}
