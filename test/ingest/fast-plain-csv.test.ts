import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { readCsvRecords } from '../../src/ingest/csv-records.ts';
import { scanByteRecords } from '../../src/ingest/fast/byte-records.ts';
import { readPlainCsvFast } from '../../src/ingest/fast/read-plain-csv-fast.ts';
import { readPlainCsv } from '../../src/ingest/read-plain-csv.ts';
import type { SkippedRow } from '../../src/ingest/types.ts';
import { CASES } from './plain-csv-cases.ts';

async function file(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'tiersync-fast-csv-')), 'orders.csv');
  await writeFile(path, content);
  return path;
}

async function outcome(read: typeof readPlainCsv, path: string) {
  const orders: Order[] = [];
  const rejects: SkippedRow[] = [];
  try {
    const summary = await read(path, (order) => orders.push(order), { currency: 'EUR', onReject: (row) => rejects.push(row) });
    return { orders, rejects, summary };
  } catch (error) {
    return { orders, rejects, error: (error as Error).message };
  }
}

describe('the fast plain CSV reader', () => {
  it.each(Object.keys(CASES))('gives exactly the reference reader\'s orders, skipped rows and rejects-file rows: %s', async (name) => {
    const path = await file(CASES[name]!);
    const reference = await outcome(readPlainCsv, path);
    expect(await outcome(readPlainCsvFast, path)).toEqual(reference);
  });

  it('skips the same rows for the same literal reasons, and converts plain rows from bytes', async () => {
    const { orders, summary } = await outcome(readPlainCsvFast, await file(CASES['awkward rows, LF']!));
    expect(summary).toMatchObject({ rows: 22, orders: 12, skippedCount: 10 });
    expect(summary!.skipped.map((row) => row.line)).toEqual([5, 6, 7, 13, 14, 15, 18, 20, 21, 23]);
    expect(summary!.skipped[2]).toEqual({ line: 7, kind: 'total is negative', reason: 'total "-3.00" is negative', raw: '6,c3,,2025-02-28T00:00:00Z,-3.00,,,,,' });
    expect(orders[0]).toEqual({
      id: '1', customerId: 'c1', email: 'a@example.com', processedAt: Date.UTC(2025, 0, 1), totalCents: 1050, currency: 'USD',
      cancelled: false, test: false, lines: [{ productType: 'Shoes', quantity: 2 }],
    });
    expect(orders.find((order) => order.id === '9')).toMatchObject({ email: 'Zoë "Z", Müller <z@example.com>', totalCents: 1235, currency: 'JPY', cancelled: true });
    expect(orders.find((order) => order.id === '10')!.lines).toEqual([{ productType: 'two\nlines', quantity: 1 }]);
    expect(orders.map((order) => order.totalCents)).toEqual([1050, 500, 725, 300, 101, 1235, 10_999, 50, 500, 100, 0, 10]);
  });
});

describe('the byte record scanner', () => {
  it('reads the records and lines papaparse reads, across reads of a few bytes', async () => {
    const path = await file(CASES['awkward rows, LF']!.repeat(3));
    const reference: [string[], number][] = [];
    await readCsvRecords(path, (fields, line) => reference.push([fields, line]));
    for (const readBytes of [7, 64, 1 << 20]) {
      const scanned: [string[], number][] = [];
      const irregular = await scanByteRecords(path, { crlf: false, readBytes }, (record, line) => {
        if (record.count > 1 || record.starts[0] !== record.ends[0]) scanned.push([record.texts(), line]);
      });
      expect(irregular).toBeNull();
      expect(scanned).toEqual(reference);
    }
  });

  it('stops at the first record it cannot read as papaparse would, giving its byte and line', async () => {
    const path = await file('a,b\n"x""y",z\n"q"r,s\nt,u\n');
    const seen: string[][] = [];
    expect(await scanByteRecords(path, { crlf: false }, (record) => seen.push(record.texts()))).toEqual({ byte: 13, line: 3 });
    expect(seen).toEqual([['a', 'b'], ['x"y', 'z']]);
  });
});
