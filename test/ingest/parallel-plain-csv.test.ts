import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FactsOrder } from '../../src/core/order.ts';
import { UserError } from '../../src/errors.ts';
import { readPlainCsvFast } from '../../src/ingest/fast/read-plain-csv-fast.ts';
import { createBatchPacker, createBatchUnpacker, type OrderBatch } from '../../src/ingest/parallel/order-batches.ts';
import { readPlainCsvInWorker } from '../../src/ingest/parallel/read-plain-csv-in-worker.ts';
import type { SkippedRow } from '../../src/ingest/types.ts';
import { CASES } from './plain-csv-cases.ts';

async function file(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'tiersync-worker-csv-')), 'orders.csv');
  await writeFile(path, content);
  return path;
}

/** What the facts read of an order, copied (the worker reader reuses one object). */
function factsOf(order: FactsOrder): FactsOrder {
  const { customerId, email, processedAt, totalCents, cancelled, test, lines } = order;
  return { customerId, email, processedAt, totalCents, cancelled, test, lines: lines.map((line) => ({ ...line })) };
}

async function outcome(read: (path: string, onOrder: (order: FactsOrder) => void, options: object) => Promise<unknown>, path: string) {
  const orders: FactsOrder[] = [];
  const rejects: SkippedRow[] = [];
  try {
    const summary = await read(path, (order) => orders.push(factsOf(order)), { currency: 'EUR', onReject: (row: SkippedRow) => rejects.push(row) });
    return { orders, rejects, summary };
  } catch (error) {
    return { orders, rejects, error: (error as Error).message, userError: error instanceof UserError };
  }
}

describe('the plain CSV read on a worker thread', () => {
  it.each(Object.keys(CASES))('gives the fast reader\'s orders (as facts), skipped rows, summary and errors: %s', async (name) => {
    const path = await file(CASES[name]!);
    expect(await outcome(readPlainCsvInWorker, path)).toEqual(await outcome(readPlainCsvFast, path));
  });

  it('keeps customers, emails and product types right across batches', async () => {
    // 70,000 rows: three batches; customers and emails recur far apart, some emails change.
    const rows = Array.from({ length: 70_000 }, (_, i) => {
      const customer = i % 1_000 === 999 ? '' : `c${(i * 7) % 40_000}`;
      const email = i % 3 === 0 ? '' : `u${(i * 7) % 40_000}${i % 5 === 0 ? '-new' : ''}@example.com`;
      const type = i % 4 === 0 ? '' : `type${i % 9}`;
      const total = i % 10_007 === 0 ? 'bad' : `${i % 500}.${i % 100}`;
      return `${i},${customer},${email},2025-01-01T00:00:00Z,${total},,${i % 11 === 0},${i % 13 === 0},${type},${i % 3}`;
    });
    const path = await file(`order_id,customer_id,email,processed_at,total,currency,cancelled,test,product_type,quantity\n${rows.join('\n')}\n`);
    const inWorker = await outcome(readPlainCsvInWorker, path);
    expect(inWorker.orders).toHaveLength(69_993);
    expect(inWorker.rejects.map((row) => row.line)).toEqual([2, 10009, 20016, 30023, 40030, 50037, 60044]);
    expect(inWorker).toEqual(await outcome(readPlainCsvFast, path));
  });
});

describe('order batches', () => {
  it('send a customer id once and an email only when it changes for that customer', () => {
    const batches: OrderBatch[] = [];
    const packer = createBatchPacker((batch) => batches.push(batch));
    const order = (customerId: string | null, email: string | null, productType?: string) => ({
      id: 'x', currency: 'USD', customerId, email, processedAt: 1_000, totalCents: 250, cancelled: false, test: customerId === 'b',
      lines: productType ? [{ productType, quantity: 2 }] : [],
    });
    packer.add(order('a', 'a@example.com', 'Hats'));
    packer.add(order('b', null));
    packer.add(order('a', 'a@example.com', 'Hats'));
    packer.add(order(null, 'guest@example.com', 'Socks'));
    packer.add(order('a', 'a2@example.com'));
    packer.finish();
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.length).toBe(5);
    expect(batch.newCustomerIds).toEqual(['a', 'b']);
    expect(batch.emails).toEqual(['a@example.com', 'guest@example.com', 'a2@example.com']);
    expect(batch.newProductTypes).toEqual(['Hats', 'Socks']);
    expect([...batch.customerKey.subarray(0, 5)]).toEqual([0, 1, 0, -1, 0]);
    expect([...batch.productType.subarray(0, 5)]).toEqual([0, -1, 0, 1, -1]);

    const unpacked: FactsOrder[] = [];
    createBatchUnpacker((facts) => unpacked.push(factsOf(facts)))(batch);
    const facts = (customerId: string | null, email: string | null, test: boolean, lines: { productType: string; quantity: number }[]) => ({
      customerId, email, processedAt: 1_000, totalCents: 250, cancelled: false, test, lines,
    });
    expect(unpacked).toEqual([
      facts('a', 'a@example.com', false, [{ productType: 'Hats', quantity: 2 }]),
      facts('b', null, true, []),
      facts('a', 'a@example.com', false, [{ productType: 'Hats', quantity: 2 }]),
      facts(null, 'guest@example.com', false, [{ productType: 'Socks', quantity: 2 }]),
      facts('a', 'a2@example.com', false, []),
    ]);
  });
});
