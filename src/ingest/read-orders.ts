import { open } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { readBulkJsonl } from './read-bulk-jsonl.ts';
import { readPlainCsvFast } from './fast/read-plain-csv-fast.ts';
import { readPlainCsvInWorker } from './parallel/read-plain-csv-in-worker.ts';
import { readShopifyCsv } from './read-shopify-csv.ts';
import type { FactsOrder } from '../core/order.ts';
import type { OrderFileFormat, OrderSink, ReadOrdersOptions, ReadOrdersSummary } from './types.ts';

/**
 * Reads an orders file of any accepted format, detected from its first line: a Shopify bulk
 * operation JSONL, Shopify admin's "Export orders" CSV, or tiersync's plain orders CSV.
 * Orders stream to `onOrder`; bad rows are skipped and listed in the summary; a file with no
 * usable order is a UserError.
 *
 * @example
 * const orders: Order[] = [];
 * const summary = await readOrders('orders.csv', (order) => orders.push(order));
 */
export async function readOrders(path: string, onOrder: OrderSink, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const format = await detectFormat(path);
  const read = { 'bulk-jsonl': readBulkJsonl, 'shopify-csv': readShopifyCsv, 'plain-csv': readPlainCsvFast }[format];
  return withOrders(path, await read(path, onOrder, options));
}

/**
 * {@link readOrders} for a consumer of facts only (`segment`): what the facts read of each
 * order, one reused object per call (read it during the call, do not keep it). A plain CSV is
 * parsed on a worker thread meanwhile, so parsing and facts use two cores; the other formats
 * are read as by readOrders. The same orders, skipped rows and summary either way.
 */
export async function readOrdersForFacts(path: string, onOrder: (order: FactsOrder) => void, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const format = await detectFormat(path);
  const read = { 'bulk-jsonl': readBulkJsonl, 'shopify-csv': readShopifyCsv, 'plain-csv': readPlainCsvInWorker }[format];
  return withOrders(path, await read(path, onOrder, options));
}

/** The summary of a file with at least one usable order; a UserError saying why otherwise. */
function withOrders(path: string, summary: ReadOrdersSummary): ReadOrdersSummary {
  const format = summary.format;
  if (summary.orders === 0) {
    const first = summary.skipped[0];
    const hint = first ? ` (line ${first.line}: ${first.reason})` : '';
    const what = summary.rows === 0 ? 'the file has a header and no rows' : `${summary.skippedCount} rows skipped${hint}`;
    throw new UserError(`${path}: no usable orders in this ${format} file; ${what}`);
  }
  return summary;
}

/** Detects the format from the first non-empty line. */
export async function detectFormat(path: string): Promise<OrderFileFormat> {
  const head = await readHead(path);
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim()) ?? '';
  if (!firstLine) throw new UserError(`${path}: the file is empty (expected a header line, or JSONL orders)`);
  if (firstLine.trimStart().startsWith('{')) return 'bulk-jsonl';
  const header = firstLine.toLowerCase();
  if (/(^|,)"?name"?(,|$)/.test(header) && header.includes('lineitem quantity')) return 'shopify-csv';
  // A header with any of the plain CSV's required columns is one: its reader names what is missing.
  if (['customer_id', 'processed_at'].some((column) => header.includes(column))) return 'plain-csv';
  throw new UserError(
    `${path}: unrecognised orders file. Expected a Shopify bulk export (JSONL), Shopify's "Export orders" CSV, ` +
      'or a CSV with a header holding customer_id, processed_at, total',
  );
}

async function readHead(path: string): Promise<string> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new UserError(`${path}: cannot open the orders file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error });
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}
