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

const HEADER = 'order_id,customer_id,email,processed_at,total,currency,cancelled,test,product_type,quantity';

/** Rows in their plain shape and in every shape the fast path must hand to the reference parser. */
const AWKWARD_ROWS = [
  '1,c1,a@example.com,2025-01-01T00:00:00Z,10.50,USD,false,false,Shoes,2',
  '2,c1,,2025-01-02T10:11:12Z,5,,true,,,',
  '3,,guest@example.com,2025-01-03T10:00:00+02:00,7.25,,,,,',
  '4,c2,,yesterday,3.00,,,,,',
  '5,c2,,2025-02-30T00:00:00Z,3.00,,,,,',
  '6,c3,,2025-02-28T00:00:00Z,-3.00,,,,,',
  '7,c3,,2025-02-28T24:00:00Z,+3.00,,,,,',
  '8,c3,, 2025-03-01T00:00:00Z ,1.005,,TRUE,0,Hats,',
  '9,c4,"Zoë ""Z"", Müller <z@example.com>",2025-03-02T00:00:00Z,"1,234.50",JPY,yes,n,"Home, Garden",3',
  '10,c4,,2025-03-03,10.999,KWD,false,false,"two',
  'lines",1',
  '11,c5,,2025-03-04T00:00:00Z,abc,,,,,',
  '12,c5,,2025-03-04T00:00:00Z,12.5,,maybe,,,',
  '13,c5,,2025-03-04T00:00:00Z,12.5,,,,Socks,1.5',
  '14,c5,,2025-03-04T00:00:00Z,.5,,,,Socks,007',
  '',
  '15,\u00a0c6\u00a0,,2025-03-05T00:00:00Z,.,,,,,',
  '16,c6,,2025-03-05T00:00:00Z,5.,EUR,false,false,山田 Shoes,1',
  '17,c7,,2025-03-06T00:00:00Z,99999999999999.99,,,,,',
  '18,c7',
  '19,c7,,2025-03-06T00:00:00Z,1,,,,,,extra',
  '   ',
  ',c8,,2025-03-07T00:00:00Z,0,,,,,',
  '"20",c8,,2025-03-07T00:00:00Z,0.1,,,,,',
];

const CASES: Record<string, string> = {
  'awkward rows, LF': `${HEADER}\n${AWKWARD_ROWS.join('\n')}\n`,
  'awkward rows, CRLF, BOM, no final line break': `\uFEFF${HEADER}\r\n${AWKWARD_ROWS.join('\r\n')}`,
  'a bare LF inside a CRLF file': `${HEADER}\r\n${AWKWARD_ROWS.slice(0, 3).join('\r\n')}\n${AWKWARD_ROWS.slice(3).join('\r\n')}\r\n`,
  'a closing quote followed by text, mid-file': `${HEADER}\n${AWKWARD_ROWS.slice(0, 4).join('\n')}\n21,c9,"x"y,2025-01-01T00:00:00Z,1,,,,,\n${AWKWARD_ROWS.slice(4).join('\n')}\n`,
  'an unterminated quote at the end': `${HEADER}\n${AWKWARD_ROWS.slice(0, 3).join('\n')}\n22,c9,"never closed,2025-01-01T00:00:00Z,1\n`,
  'blank lines before the header': `\n\n${HEADER}\n${AWKWARD_ROWS.slice(0, 2).join('\n')}\n`,
  'fewer columns, another order': 'total,processed_at,customer_id\n1.00,2025-01-01T00:00:00Z,c1\n2.00,2025-01-02T00:00:00Z,\n',
  'semicolons (papaparse guesses the delimiter)': 'customer_id;processed_at;total\nc1;2025-01-01T00:00:00Z;1.00\nc2;2025-01-02T00:00:00Z;2,50\n',
  'header only': `${HEADER}\n`,
  empty: '',
  'a required column missing': 'customer_id,total\nc1,1.00\n',
};

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
