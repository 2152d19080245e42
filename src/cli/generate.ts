import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { SUPPORTED_CURRENCIES } from '../synth/currency.ts';
import { generateShop } from '../synth/generate-shop.ts';
import { ORDER_FILE_FORMATS } from '../synth/writers/record-formatter.ts';
import { writeShop, type WriteShopSummary } from '../synth/writers/write-shop.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { UserError } from '../errors.ts';

const MAX_CUSTOMERS = 10_000_000;

const optionsSchema = z.object({
  customers: z.coerce.number().int().min(1).max(MAX_CUSTOMERS),
  seed: z.coerce.number().int().min(0).max(0xffff_ffff),
  asOf: isoDate('--as-of'),
  historyMonths: z.coerce.number().int('--history-months must be a whole number').min(1).max(240),
  format: z.enum(ORDER_FILE_FORMATS).optional(),
  currency: z.enum(SUPPORTED_CURRENCIES as [string, ...string[]]),
  out: z.string().min(1).optional(),
});

type GenerateOptions = z.output<typeof optionsSchema>;

/**
 * `tiersync generate --customers N --seed S --as-of ISO_DATE --format plain-csv|shopify-csv|bulk-jsonl --out FILE`
 *
 * @example
 * registerGenerate(program); // then: tiersync generate --customers 1000 --as-of 2026-01-01 --out orders.csv
 */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a seeded synthetic shop (--history-months of orders ending at --as-of) as an orders file')
    .option('--customers <n>', `number of customers (1 to ${MAX_CUSTOMERS})`, '10000')
    .option('--seed <n>', 'seed: the same seed gives the same file, byte for byte', '1')
    .requiredOption('--as-of <iso-date>', 'end of the history, e.g. 2026-01-01')
    .option('--history-months <n>', 'months of order history (older customers go dormant)', '24')
    .option('--format <format>', `${ORDER_FILE_FORMATS.join(' | ')} (default: bulk-jsonl for a .jsonl --out, else plain-csv)`)
    .option('--currency <code>', `shop currency: ${SUPPORTED_CURRENCIES.join(', ')}`, 'USD')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (raw: unknown) => {
      await runGenerate(parseOptions(optionsSchema, raw));
    });
}

async function runGenerate(options: GenerateOptions): Promise<void> {
  const format = options.format ?? (options.out?.endsWith('.jsonl') ? 'bulk-jsonl' : 'plain-csv');
  const started = performance.now();
  const records = generateShop({
    seed: options.seed,
    customers: options.customers,
    asOf: options.asOf,
    historyMonths: options.historyMonths,
    currencyCode: options.currency,
  });
  const summary = options.out
    ? await writeFile(options.out, (out) => writeShop(records, out, format))
    : await writeShop(records, process.stdout, format);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `generated ${summary.customers} customers, ${summary.orders} orders (${summary.guestOrders} guest), ` +
      `${summary.lineItems} line items in ${seconds.toFixed(1)} s: ${(summary.bytes / 1e6).toFixed(1)} MB ${format}` +
      `${options.out ? ` to ${options.out}` : ''}\n`,
  );
}

async function writeFile(path: string, write: (out: Writable) => Promise<WriteShopSummary>): Promise<WriteShopSummary> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`cannot write ${path}: ${reason}`, 1, { cause: error });
  }
  const summary = await write(out);
  out.end();
  await finished(out);
  return summary;
}
