import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { readOrders } from '../../src/ingest/read-orders.ts';
import { generateShop } from '../../src/synth/generate-shop.ts';
import type { SynthOrder } from '../../src/synth/types.ts';
import { ORDER_FILE_FORMATS, type OrderFileFormat } from '../../src/synth/writers/record-formatter.ts';
import { writeShop } from '../../src/synth/writers/write-shop.ts';

// The contract with `tiersync segment`: every file the generator writes reads back, order for
// order, through the same reader the segment command uses.
const asOf = new Date('2026-01-01T00:00:00Z');

function shopOrders(currencyCode: string): SynthOrder[] {
  return [...generateShop({ seed: 21, customers: 300, asOf, currencyCode })].flatMap((record) =>
    record.kind === 'customer' ? record.orders : [record.order],
  );
}

function minorUnits(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 10 ** fraction.length + Number(fraction || '0');
}

describe('generated order files read back through readOrders', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tiersync-synth-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function roundTrip(format: OrderFileFormat, currencyCode: string) {
    const path = join(directory, `${format}-${currencyCode}.${format === 'bulk-jsonl' ? 'jsonl' : 'csv'}`);
    const out = createWriteStream(path);
    await once(out, 'open');
    await writeShop(generateShop({ seed: 21, customers: 300, asOf, currencyCode }), out, format);
    out.end();
    await finished(out);
    const read: Order[] = [];
    const summary = await readOrders(path, (order) => read.push(order), { currency: currencyCode });
    return { summary, read };
  }

  for (const format of ORDER_FILE_FORMATS) {
    for (const currencyCode of ['USD', 'JPY']) {
      it(`${format} in ${currencyCode}: same orders, totals, times and cancellations`, async () => {
        const expected = shopOrders(currencyCode);
        const { summary, read } = await roundTrip(format, currencyCode);
        expect(summary.format).toBe(format);
        expect(summary.skippedCount).toBe(0);
        expect(read).toHaveLength(expected.length);
        const mismatches = read.filter((order, i) => {
          const synth = expected[i] as SynthOrder;
          return (
            order.totalCents !== minorUnits(synth.currentTotalPrice) ||
            order.processedAt !== Date.parse(synth.processedAt) ||
            order.cancelled !== (synth.cancelledAt !== null)
          );
        });
        expect(mismatches).toEqual([]);
        if (format !== 'shopify-csv') {
          // The admin export has neither customer ids nor a test flag.
          expect(read.map((order) => order.test)).toEqual(expected.map((order) => order.test));
          expect(read.map((order) => order.customerId === null)).toEqual(expected.map((order) => order.customerId === null));
        }
      });
    }
  }
});
