import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { CDNOW_DIR, PUBLISHED, withinOnePercent } from './cdnow.ts';

const fixture = (name: string) => fileURLToPath(new URL(name, CDNOW_DIR));

describe('tiersync model fit', () => {
  it('--summary --json prints the published CDNOW estimates', async () => {
    const { code, stdout, stderr } = await runCli(['model', 'fit', '--summary', fixture('cdnow_customers_summary_with_transactions.csv'), '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.status).toBe('fitted');
    expect(report.customers).toBe(PUBLISHED.customers);
    expect(report.repeat_customers).toBe(PUBLISHED.repeatCustomers);
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      expect(withinOnePercent(report.bgnbd[name], PUBLISHED.bgnbd[name])).toBe(true);
    }
    expect(report.bgnbd.log_likelihood).toBeCloseTo(PUBLISHED.logLikelihood, 0);
    for (const name of ['p', 'q', 'v'] as const) {
      expect(withinOnePercent(report.gamma_gamma[name], PUBLISHED.gammaGamma[name])).toBe(true);
    }
    expect(report.holdout).toBeNull();
  });

  it('--orders with --holdout-end counts the actual holdout purchases and predicts them', async () => {
    const { code, stdout } = await runCli([
      'model', 'fit', '--orders', fixture('orders_sample.csv'), '--as-of', '1997-09-30T00:00:00Z',
      '--holdout-end', '1998-06-30T00:00:00Z', '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(withinOnePercent(report.bgnbd.r, PUBLISHED.bgnbd.r)).toBe(true);
    expect(withinOnePercent(report.gamma_gamma.v, PUBLISHED.gammaGamma.v)).toBe(true);
    // 1,882 distinct (customer, day) pairs among the 1,959 orders in (1997-09-30, 1998-06-30]
    expect(report.holdout).toMatchObject({ periods: 39, actual: 1882 });
    expect(report.holdout.predicted).toBeGreaterThan(0);
  });

  it('labels the holdout comparison and names both repeat-customer counts in text', async () => {
    const { code, stdout } = await runCli([
      'model', 'fit', '--orders', fixture('orders_sample.csv'), '--as-of', '1997-09-30T00:00:00Z', '--holdout-end', '1998-06-30T00:00:00Z',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('2357 customers, 946 with a repeat purchase');
    expect(stdout).toContain('over the 946 repeat customers');
    expect(stdout).toContain('predicted 1653.4 repeat purchases, actual 1882: the prediction is 12.1% below the actual count');
  });

  it('prints text by default, saying what was not fitted', async () => {
    const { code, stdout } = await runCli(['model', 'fit', '--summary', fixture('cdnow_customers_summary.csv')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/BG\/NBD: +r=0\.24\d+ alpha=4\.41\d+ a=0\.79\d+ b=2\.42\d+/);
    expect(stdout).toMatch(/Gamma-Gamma: not fitted/);
    expect(stdout).toMatch(/warning: .*has no zbar column/);
  });

  it('rejects a bad summary row naming the file, line and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-model-'));
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'x,t_x,T\n1,2,3\n2,5,4\n');
    const { code, stderr } = await runCli(['model', 'fit', '--summary', path]);
    expect(code).toBe(1);
    expect(stderr).toBe(`tiersync: ${path}: line 3: recency: recency must be ≤ T\n`);
  });

  it('rejects --orders without --as-of and a holdout end before as-of', async () => {
    const missing = await runCli(['model', 'fit', '--orders', fixture('orders_sample.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--as-of: required with --orders/);
    const backwards = await runCli([
      'model', 'fit', '--orders', fixture('orders_sample.csv'), '--as-of', '1997-09-30', '--holdout-end', '1997-01-01',
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/--holdout-end: must be after --as-of/);
  });

  it('--orders: says on stderr when --as-of is before every order, and writes the skipped rows to --rejects', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-model-fit-'));
    const orders = join(dir, 'orders.csv');
    await writeFile(orders, 'customer_id,processed_at,total\nc1,2025-03-01,10\nc1,2025-02-30,5\nc2,2025-04-01,7\n');
    const rejects = join(dir, 'rejects.csv');
    const { code, stderr, stdout } = await runCli(['model', 'fit', '--orders', orders, '--as-of', '2024-01-01', '--rejects', rejects, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('warning: --as-of 2024-01-01 is before every order (the orders run from 2025-03-01 to 2025-04-01): no order counts, so no customer is computed\n');
    expect(JSON.parse(stdout).warnings).toContain(`${orders}: skipped 1 bad rows: 1 processed_at is not a date; first: line 3: processed_at "2025-02-30" February has no 30th; all in ${rejects}`);
    expect(await readFile(rejects, 'utf8')).toBe('line,kind,reason,raw\n3,processed_at is not a date,"processed_at ""2025-02-30"" February has no 30th","c1,2025-02-30,5"\n');
  });
});
