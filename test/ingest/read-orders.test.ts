import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { detectFormat, readOrders } from '../../src/ingest/read-orders.ts';
import { parseTimestamp } from '../../src/ingest/parse-fields.ts';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/orders', name);

async function read(path: string) {
  const orders: Order[] = [];
  const summary = await readOrders(path, (o) => orders.push(o));
  return { orders, summary };
}

describe('timestamps', () => {
  it.each([
    ['2025-01-01T00:00:00Z', Date.UTC(2025, 0, 1)],
    ['2025-01-01T10:00:00.250Z', Date.UTC(2025, 0, 1, 10, 0, 0, 250)],
    ['2025-01-01', Date.UTC(2025, 0, 1)],
    ['2025-05-01 10:00:00 -0500', Date.UTC(2025, 4, 1, 15)],
    ['2025-05-01T10:00:00+02:00', Date.UTC(2025, 4, 1, 8)],
  ])('parses %s', (text, expected) => expect(parseTimestamp(text)).toBe(expected));

  it.each(['2024-02-29T12:00:00Z', '2000-02-29'])('accepts the leap day %s', (text) => expect(parseTimestamp(text)).not.toBeNull());

  it.each(['yesterday', '2025-13-01', '', '01/05/2025', '2025-02-29', '2025-02-30T00:00:00Z', '1900-02-29', '2025-04-31T10:00:00Z', '2025-0a-01T00:00:00Z'])(
    'rejects %j',
    (text) => expect(parseTimestamp(text)).toBeNull(),
  );
});

describe('plain CSV', () => {
  it('reads orders, keeps guests, and skips bad rows with their line and reason', async () => {
    const { orders, summary } = await read(fixture('plain.csv'));
    expect(summary).toMatchObject({ format: 'plain-csv', rows: 6, orders: 4, skippedCount: 2 });
    expect(summary.skipped.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 5, reason: 'processed_at "yesterday" is not a date (use ISO 8601, e.g. 2024-05-01T10:00:00Z)' },
      { line: 6, reason: 'total "-3.00" is negative' },
    ]);
    expect(summary.skippedByKind).toEqual({ 'processed_at is not a date': 1, 'total is negative': 1 });
    expect(orders.map((o) => [o.id, o.customerId, o.totalCents, o.cancelled, o.test])).toEqual([
      ['1', 'c1', 1050, false, false], ['2', 'c1', 500, true, false], ['3', null, 725, false, false], ['6', 'c3', 120_000, false, false],
    ]);
    expect(orders[0]!.lines).toEqual([{ productType: 'Shoes', quantity: 1 }]);
    expect(orders[2]!.processedAt).toBe(Date.UTC(2025, 0, 3, 8));
  });
});

describe('Shopify export CSV', () => {
  it('groups line-item rows by Name, keys customers by lower-cased email, nets refunds, flags bogus-gateway tests', async () => {
    const { orders, summary } = await read(fixture('shopify-export.csv'));
    expect(summary).toMatchObject({ format: 'shopify-csv', rows: 6, orders: 4, skippedCount: 1 });
    expect(summary.skipped[0]).toMatchObject({ line: 7, kind: 'Total is not an amount', reason: 'Total "forty" is not an amount (is this the first row of order #1005?)' });
    expect(orders.map((o) => [o.id, o.customerId, o.totalCents, o.cancelled, o.test, o.processedAt])).toEqual([
      ['5001', 'zoe@example.com', 10_000, false, false, Date.UTC(2025, 4, 1, 15)],
      ['5002', 'zoe@example.com', 4950, false, false, Date.UTC(2025, 5, 1, 8)],
      ['5003', null, 2000, false, true, Date.UTC(2025, 5, 2, 10)],
      ['5004', 'lukasz@example.pl', 4000, true, false, Date.UTC(2025, 5, 3, 10)],
    ]);
    expect(orders[0]!.lines.map((l) => l.quantity)).toEqual([2, 1]);
  });
});

describe('bulk JSONL', () => {
  it('attaches line items by __parentId even when not adjacent, and reports orphans and bad lines', async () => {
    const { orders, summary } = await read(fixture('bulk.jsonl'));
    expect(summary).toMatchObject({ format: 'bulk-jsonl', rows: 9, orders: 3, skippedCount: 3 });
    expect(summary.skipped.map((s) => s.line)).toEqual([6, 7, 8]);
    expect(summary.skipped[0]!.reason).toMatch(/processedAt "not a date"/);
    expect(summary.skipped[2]!.reason).toMatch(/Order\/404/);
    const [first, guest, cancelled] = orders;
    expect(first).toMatchObject({ id: 'gid://shopify/Order/1', customerId: 'gid://shopify/Customer/7', totalCents: 1999, currency: 'EUR', email: 'a@example.com' });
    expect(first!.lines).toEqual([{ productType: 'Shoes', quantity: 2 }, { productType: '', quantity: 1 }]);
    expect(guest).toMatchObject({ customerId: null, totalCents: 500, lines: [{ productType: 'Hats', quantity: 1 }] });
    expect(cancelled).toMatchObject({ cancelled: true, test: true, email: 'b@example.com' });
  });
});

describe('format detection and unusable files', () => {
  it('detects each format from the first line', async () => {
    expect(await detectFormat(fixture('bulk.jsonl'))).toBe('bulk-jsonl');
    expect(await detectFormat(fixture('shopify-export.csv'))).toBe('shopify-csv');
    expect(await detectFormat(fixture('plain.csv'))).toBe('plain-csv');
  });

  it('names the file and what was expected', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-ingest-'));
    const other = join(dir, 'other.csv');
    await writeFile(other, 'a,b,c\n1,2,3\n');
    await expect(read(other)).rejects.toThrow(/other\.csv: unrecognised orders file/);
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, 'customer_id,processed_at,total\nc1,never,1\n');
    await expect(read(empty)).rejects.toThrow(/empty\.csv: no usable orders in this plain-csv file; 1 rows skipped \(line 2: processed_at "never"/);
    await expect(read(join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot open the orders file \(ENOENT\)/);
  });

  it('says what is wrong: an empty file, a missing required column, an unterminated quote, a header without rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-ingest-'));
    const file = async (name: string, text: string) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    };
    await expect(read(await file('blank.csv', ''))).rejects.toThrow(/blank\.csv: the file is empty/);
    await expect(read(await file('blank-lines.csv', '\n\n'))).rejects.toThrow(/blank-lines\.csv: the file is empty/);
    await expect(read(await file('no-total.csv', 'customer_id,processed_at\nc1,2025-01-01\n'))).rejects.toThrow(
      /no-total\.csv: missing required column total in the header/,
    );
    await expect(read(await file('quote.csv', 'customer_id,processed_at,total\nc1,2025-01-01,5\nc2,"2025-01-02,6\nc3,2025-01-03,7\n'))).rejects.toThrow(
      /quote\.csv: line 3: unterminated quoted field/,
    );
    await expect(read(await file('header.csv', 'customer_id,processed_at,total\n'))).rejects.toThrow(/header\.csv: no usable orders in this plain-csv file; the file has a header and no rows/);
  });

  it('explains an impossible date', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-ingest-'));
    const path = join(dir, 'dates.csv');
    await writeFile(path, 'customer_id,processed_at,total\nc1,2026-02-30,5\nc1,2025-02-29T10:00:00Z,5\nc1,2026-13-01,5\nc1,2026-04-31,5\nc1,2026-01-05 25:00:00,5\nc2,2026-01-01,5\n');
    const { summary } = await read(path);
    expect(summary.skipped.map((s) => s.reason)).toEqual([
      'processed_at "2026-02-30" February has no 30th',
      'processed_at "2025-02-29T10:00:00Z" February has no 29th in 2025 (not a leap year)',
      'processed_at "2026-13-01" has no month 13 (months are 01 to 12)',
      'processed_at "2026-04-31" April has no 31st',
      'processed_at "2026-01-05 25:00:00" has no time 25:00:00',
    ]);
    expect(summary.skippedByKind).toEqual({ 'processed_at is not a date': 5 });
    expect(summary.skipped[0]!.raw).toBe('c1,2026-02-30,5');
  });
});
