import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';

let dir: string;
let ordersPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiersync-segment-'));
  ordersPath = join(dir, 'orders.csv');
  // c1: 3 orders (one 400 days ago), c2: one order 200 days ago, c3: new (first order 10 days ago),
  // a guest order, a cancelled order, and an order after --as-of.
  await writeFile(
    ordersPath,
    [
      'order_id,customer_id,email,processed_at,total,cancelled',
      '1,c1,one@example.com,2025-10-22T00:00:00Z,100.00,false',
      '2,c1,one@example.com,2026-11-15T00:00:00Z,50.00,false',
      '3,c1,one@example.com,2026-11-20T12:00:00Z,25.50,false',
      '4,c2,,2026-05-09T00:00:00Z,10.00,false',
      '5,c3,three@example.com,2026-11-15T00:00:00Z,40.00,false',
      '6,,,2026-11-01T00:00:00Z,99.00,false',
      '7,c2,,2026-11-01T00:00:00Z,500.00,true',
      '8,c2,,2026-12-01T00:00:00Z,500.00,false',
    ].join('\n'),
  );
});

describe('tiersync segment', () => {
  it('writes one JSONL row per customer with numbers, booleans and null as JSON types', async () => {
    const out = join(dir, 'segments.jsonl');
    const result = await runCli(['segment', '--orders', ordersPath, '--as-of', '2026-11-25', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`wrote ${out} (3 customers, jsonl)`);
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(rows.map((r) => r.customer_id)).toEqual(['c1', 'c2', 'c3']);
    // c1 beats both others on R, F and M: w = 2 of N = 3 → 1 + floor(5·2/3) = 4.
    expect(rows[0]).toMatchObject({
      email: 'one@example.com', tier: 'mid_tier', ltv_cents: 17_550, top_share: 0.5, orders: 3, aov_cents: 5850,
      days_since_last: 4, recency_bucket: 'active', r: 4, f: 4, m: 4, rfm: '444', at_risk: false, lapsed: null,
      suppressed: false, reactivation_due: false, cohort: '2025-10',
    });
    // c2: 200 days since its only order, outside the top 20% → suppressed, low_value lapsed.
    expect(rows[1]).toMatchObject({ tier: 'low_value', days_since_last: 200, recency_bucket: 'cold', lapsed: 'low_value', suppressed: true, email: null });
    expect(rows[2]).toMatchObject({ tier: 'new', top_share: null, cohort_percentile: 100 });
    expect(typeof rows[0].churn_risk).toBe('number');
    expect(result.stderr).toContain('read 8 orders (plain-csv); skipped 0 bad rows');
    expect(result.stderr).toContain('excluded: 0 test, 1 cancelled, 1 after --as-of; 1 guest orders (99.00 USD)');
    expect(result.stderr).toMatch(/Mid-Tier\s+1\s+33\.3%/);
  });

  it('writes CSV with the documented header to stdout', async () => {
    const result = await runCli(['segment', '--orders', ordersPath, '--as-of', '2026-11-25T00:00:00Z', '--format', 'csv']);
    expect(result.code).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!).slice(0, 20)).toEqual([
      'customer_id', 'email', 'tier', 'ltv_cents', 'top_share', 'orders', 'aov_cents', 'days_since_last', 'recency_bucket',
      'r', 'f', 'm', 'rfm', 'churn_risk', 'at_risk', 'lapsed', 'suppressed', 'reactivation_due', 'cohort', 'cohort_percentile',
    ]);
    expect(rows.map((r) => [r.customer_id, r.tier, r.lapsed, r.suppressed])).toEqual([
      ['c1', 'mid_tier', '', 'false'], ['c2', 'low_value', 'low_value', 'true'], ['c3', 'new', '', 'false'],
    ]);
  });

  it('fails with a clear message and no stack trace on bad input', async () => {
    const badDate = await runCli(['segment', '--orders', ordersPath, '--as-of', 'tomorrow']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--as-of: --as-of "tomorrow" is not a date');
    const missing = await runCli(['segment', '--orders', join(dir, 'nope.csv'), '--as-of', '2026-11-25']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: cannot open the orders file/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badConfig = join(dir, 'config.json');
    await writeFile(badConfig, JSON.stringify({ lapsed_days: -1 }));
    const config = await runCli(['segment', '--orders', ordersPath, '--as-of', '2026-11-25', '--config', badConfig]);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain('config.json: invalid config');
    expect(config.stderr).toContain('lapsed_days: must be ≥ 0');
  });

  it('writes every rejected row to --rejects and counts them by kind in the summary', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, [
      'customer_id,processed_at,total',
      'c1,2026-02-30,10.00',
      'c1,2026-01-02,ten',
      'c2,2026-01-03,-4.00',
      'c2,2026-01-04,20.00',
      'c3,yesterday,5.00',
    ].join('\n'));
    const rejects = join(dir, 'rejects.csv');
    const result = await runCli(['segment', '--orders', bad, '--as-of', '2026-11-25', '--rejects', rejects, '--out', join(dir, 'bad-out.csv')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `read 1 orders (plain-csv); skipped 4 bad rows: 2 processed_at is not a date, 1 total is negative, 1 total is not an amount; first: line 2: processed_at "2026-02-30" February has no 30th; all in ${rejects}`,
    );
    expect(await readFile(rejects, 'utf8')).toBe([
      'line,kind,reason,raw',
      '2,processed_at is not a date,"processed_at ""2026-02-30"" February has no 30th","c1,2026-02-30,10.00"',
      '3,total is not an amount,"total ""ten"" is not an amount","c1,2026-01-02,ten"',
      '4,total is negative,"total ""-4.00"" is negative","c2,2026-01-03,-4.00"',
      '6,processed_at is not a date,"processed_at ""yesterday"" is not a date (use ISO 8601, e.g. 2024-05-01T10:00:00Z)","c3,yesterday,5.00"',
      '',
    ].join('\n'));
  });

  it('says on one stderr line when --as-of makes no sense for the data, naming its date range', async () => {
    const late = await runCli(['segment', '--orders', ordersPath, '--as-of', '2030-01-01', '--out', join(dir, 'late.csv')]);
    expect(late.code).toBe(0);
    expect(late.stderr.split('\n')[0]).toBe(
      'warning: no counted order in the 730 days before --as-of 2030-01-01 (the orders run from 2025-10-22 to 2026-12-01): every mature customer has LTV 0 and is in the lowest tier',
    );
    // Zero LTV for all: the lowest tier, not Champions.
    expect((await readFile(join(dir, 'late.csv'), 'utf8')).split('\n').slice(1, 4).map((row) => row.split(',')[2])).toEqual(['low_value', 'low_value', 'low_value']);
    const early = await runCli(['segment', '--orders', ordersPath, '--as-of', '2020-01-01', '--out', join(dir, 'early.csv')]);
    expect(early.stderr.split('\n')[0]).toBe('warning: --as-of 2020-01-01 is before every order (the orders run from 2025-10-22 to 2026-12-01): no order counts, so no customer is computed');
    const fine = await runCli(['segment', '--orders', ordersPath, '--as-of', '2026-11-25', '--out', join(dir, 'fine.csv')]);
    expect(fine.stderr).not.toMatch(/--as-of 2026-11-25/);
  });

  it('refuses a typo in a nested setting with exit 1 before reading or writing anything', async () => {
    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ guard: { max_changed_shares: 0.5 } }));
    const out = join(dir, 'never.csv');
    const result = await runCli(['segment', '--orders', join(dir, 'absent.csv'), '--as-of', '2026-11-25', '--config', typo, '--out', out, '--rejects', join(dir, 'never-rejects.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('guard.max_changed_shares: unknown setting; did you mean guard.max_changed_share?');
    expect(result.stderr).not.toContain('absent.csv');
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(dir, 'never-rejects.csv'))).rejects.toThrow(/ENOENT/);
  });
});
