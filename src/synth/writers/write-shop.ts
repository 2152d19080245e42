import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ShopRecord } from '../types.ts';
import { bulkJsonlFormatter } from './bulk-jsonl.ts';
import { plainCsvFormatter } from './plain-csv.ts';
import type { OrderFileFormat, RecordFormatter } from './record-formatter.ts';
import { shopifyCsvFormatter } from './shopify-csv.ts';

export interface WriteShopOptions {
  /** The shop's IANA time zone for `shopify-csv` dates (default: the usual one for the shop currency). */
  timeZone?: string;
}

export interface WriteShopSummary {
  customers: number;
  /** All orders written, guest orders included. */
  orders: number;
  guestOrders: number;
  lineItems: number;
  /** UTF-8 bytes written. */
  bytes: number;
}

/** Text is handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 16;

/**
 * Streams shop records to `out` as an order file, waiting for 'drain' whenever the stream's
 * buffer is full so memory stays flat. The stream is left open: the caller ends it.
 *
 * @example
 * const out = createWriteStream('orders.jsonl');
 * await writeShop(generateShop({ seed: 1, customers: 1000, asOf }), out, 'bulk-jsonl');
 * out.end();
 */
export async function writeShop(
  records: Iterable<ShopRecord>,
  out: Writable,
  format: OrderFileFormat,
  options: WriteShopOptions = {},
): Promise<WriteShopSummary> {
  const formatter = createFormatter(format, options);
  const summary: WriteShopSummary = { customers: 0, orders: 0, guestOrders: 0, lineItems: 0, bytes: 0 };
  let pending = formatter.header;
  const flush = async () => {
    // A stream that failed between writes emits no further 'error' or 'drain': fail here instead of waiting forever.
    if (out.errored) throw out.errored;
    if (out.destroyed) throw new Error('the output stream was closed before the shop was written');
    const chunk = Buffer.from(pending, 'utf8');
    summary.bytes += chunk.length;
    const accepted = out.write(chunk);
    pending = '';
    if (!accepted) await once(out, 'drain');
  };
  for (const record of records) {
    if (record.kind === 'customer') {
      summary.customers += 1;
      summary.orders += record.orders.length;
      for (const order of record.orders) summary.lineItems += order.lines.length;
    } else {
      summary.guestOrders += 1;
      summary.orders += 1;
      summary.lineItems += record.order.lines.length;
    }
    pending += formatter.format(record);
    if (pending.length >= CHUNK_CHARS) await flush();
  }
  if (pending.length > 0) await flush();
  return summary;
}

function createFormatter(format: OrderFileFormat, options: WriteShopOptions): RecordFormatter {
  switch (format) {
    case 'plain-csv':
      return plainCsvFormatter();
    case 'shopify-csv':
      return shopifyCsvFormatter(options.timeZone === undefined ? {} : { timeZone: options.timeZone });
    case 'bulk-jsonl':
      return bulkJsonlFormatter();
  }
}
