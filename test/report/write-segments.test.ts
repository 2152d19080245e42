import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { toSegmentColumns } from '../../src/core/segment-columns.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import { SEGMENT_COLUMNS, toSegmentRow } from '../../src/report/segment-row.ts';
import { writeSegments } from '../../src/report/write-segments.ts';

const segment: CustomerSegment = {
  customerId: 'gid://shopify/Customer/1', email: 'zoë "quoted" \\ back@example.com', tier: 'vip', ltvCents: 12_345,
  historicalLtvCents: 12_345, predictedClvCents: null, pAlive: 0.1234567, expectedOrders365: null, topShare: 0.05, orders: 3,
  ordersLast365: 2, revenueCents: 12_345, aovCents: 4115, firstOrderAt: Date.UTC(2025, 0, 1), lastOrderAt: Date.UTC(2026, 8, 1),
  daysSinceLast: 85, tenureDays: 693, recencyBucket: 'warm', r: 3, f: 4, m: 5, rfm: '345', churnRisk: 40, atRisk: false,
  lapsed: 'high_value', suppressed: false, reactivationDue: true, cohort: '2025-01', cohortPercentile: 90, topCategory: '山田 Shoes', rfmSegment: 'Loyal', frequencyTrend: 'declining',
};

describe('writeSegments', () => {
  it('writes each JSONL line exactly as JSON.stringify would, keys in column order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-write-'));
    await writeSegments([segment, { ...segment, email: null, topShare: null }], 'jsonl', join(dir, 'out.jsonl'));
    const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).split('\n');
    expect(lines).toEqual([JSON.stringify(toSegmentRow(segment)), JSON.stringify(toSegmentRow({ ...segment, email: null, topShare: null })), '']);
  });

  it('writes CSV exactly as csv-stringify would: header, quoted awkward fields, null as empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-write-'));
    const rows = [segment, { ...segment, email: 'a,b\nc', topShare: null, topCategory: null }];
    await writeSegments(rows, 'csv', join(dir, 'out.csv'));
    const expected = stringify([
      [...SEGMENT_COLUMNS],
      ...rows.map((row) => SEGMENT_COLUMNS.map((column) => toSegmentRow(row)[column] ?? '').map(String)),
    ]);
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe(expected);
  });

  it('writes segment columns as the same CSV bytes as their objects, awkward texts and nulls included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-write-'));
    const rows: CustomerSegment[] = [
      segment,
      { ...segment, customerId: 'gid://shopify/Customer/2', email: 'a,b\nc', topShare: null, topCategory: null, lapsed: null, atRisk: true, suppressed: true, reactivationDue: false },
      { ...segment, customerId: 'gid://shopify/Customer/3', email: null, firstOrderAt: Date.UTC(2025, 6, 4, 23, 59, 58, 7), lastOrderAt: Date.UTC(2026, 0, 1, 9, 5, 0, 450), predictedClvCents: 1234, pAlive: 0.5, expectedOrders365: 1.23456789, cohort: '2024-12', tier: 'new' },
    ];
    await writeSegments(rows, 'csv', join(dir, 'objects.csv'));
    await writeSegments(toSegmentColumns(rows), 'csv', join(dir, 'columns.csv'));
    expect(await readFile(join(dir, 'columns.csv'), 'utf8')).toBe(await readFile(join(dir, 'objects.csv'), 'utf8'));
  });

  it('writes the rounded columns of segment columns to 6 decimals, trailing zeros dropped, as String prints them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-write-'));
    const pairs: [pAlive: number, expectedOrders365: number][] = [
      [0, 1], [0.0000004, 0.0000005], [0.000001, 0.00001], [0.1234567, 12.5], [0.999_999_7, 1_234_567.123_456_7], [-0.25, 2e9], [1e10, 0.1 + 0.2],
    ];
    const rows = pairs.map(([pAlive, expectedOrders365], i) => ({ ...segment, customerId: `${i}`, pAlive, expectedOrders365 }));
    await writeSegments(toSegmentColumns(rows), 'csv', join(dir, 'columns.csv'));
    const [header, ...lines] = (await readFile(join(dir, 'columns.csv'), 'utf8')).trimEnd().split('\n');
    const at = (name: string) => header!.split(',').indexOf(name);
    const cells = lines.map((line) => [line.split(',')[at('p_alive')], line.split(',')[at('expected_orders_365')]]);
    expect(cells).toEqual([
      ['0', '1'], ['0', '0.000001'], ['0.000001', '0.00001'], ['0.123457', '12.5'], ['1', '1234567.123457'], ['-0.25', '2000000000'], ['10000000000', '0.3'],
    ]);
  });
});
