import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/order.ts';
import { openStore } from '../../src/store/open-store.ts';
import { runCli } from '../helpers/run-cli.ts';

let dir: string;
let ordersPath: string;

/** data-label → data-value of the bars of one chart. */
function bars(html: string, chart: string): Record<string, number> {
  const svg = html.match(new RegExp(`<svg[^>]*data-chart="${chart}".*?</svg>`))![0];
  return Object.fromEntries([...svg.matchAll(/data-label="([^"]*)" data-value="([^"]*)"/g)].map((m) => [m[1]!, Number(m[2])]));
}

// No credentials: the report of an orders file must not need them.
const env = { SHOPIFY_SHOP: '', SHOPIFY_ADMIN_TOKEN: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiersync-report-cli-'));
  ordersPath = join(dir, 'orders.csv');
  // As of 2026-11-25: c1 (mature, 175.50) outranks c2 (mature, 10.00): 2 mature customers, so
  // c1 has top share 1/2 → mid_tier and c2 2/2 → low_value; c3's first order is 10 days old → new.
  await writeFile(
    ordersPath,
    [
      'order_id,customer_id,email,processed_at,total,cancelled',
      '1,c1,one@example.com,2025-10-22T00:00:00Z,100.00,false',
      '2,c1,one@example.com,2026-11-15T00:00:00Z,50.00,false',
      '3,c1,one@example.com,2026-11-20T12:00:00Z,25.50,false',
      '4,c2,,2026-05-09T00:00:00Z,10.00,false',
      '5,c3,three@example.com,2026-11-15T00:00:00Z,40.00,false',
    ].join('\n'),
  );
});

describe('tiersync report', () => {
  it('writes the HTML report of an orders file', async () => {
    const out = join(dir, 'file-report.html');
    const result = await runCli(['report', '--orders', ordersPath, '--as-of', '2026-11-25', '--out', out, '--currency', 'EUR'], { env, cwd: dir });
    expect(result.stderr).toContain(`wrote ${out}`);
    expect(result.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(bars(html, 'tier-sizes')).toEqual({ Champions: 0, VIP: 0, 'High-Value': 0, 'Mid-Tier': 1, 'Low-Value': 1, New: 1 });
    // Average LTV in minor units: c1 17,550, c2 1,000, c3 4,000.
    expect(bars(html, 'tier-average-ltv')).toMatchObject({ 'Mid-Tier': 17_550, 'Low-Value': 1000, New: 4000 });
    expect(html).toContain('As of <strong>2026-11-25</strong>');
    expect(html).toContain('average LTV (EUR)');
    expect(html).toContain('No store was read');
  });

  it('writes out/report.html under the working directory by default and says so', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'tiersync-report-default-'));
    const result = await runCli(['report', '--orders', ordersPath, '--as-of', '2026-11-25'], { env, cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/wrote out\/report\.html \(/);
    expect(await readFile(join(cwd, 'out', 'report.html'), 'utf8')).toContain('As of <strong>2026-11-25</strong>');
  });

  it('says on one stderr line when --as-of leaves no order in the LTV window, naming the data\'s date range', async () => {
    const out = join(dir, 'late-report.html');
    const result = await runCli(['report', '--orders', ordersPath, '--as-of', '2030-01-01', '--out', out], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(
      'warning: no counted order in the 730 days before --as-of 2030-01-01 (the orders run from 2025-10-22 to 2026-11-20): every mature customer has LTV 0 and is in the lowest tier',
    );
    // All three at LTV 0: the lowest tier, not Champions.
    expect(bars(await readFile(out, 'utf8'), 'tier-sizes')).toEqual({ Champions: 0, VIP: 0, 'High-Value': 0, 'Mid-Tier': 0, 'Low-Value': 3, New: 0 });
  });

  it('prints its version', async () => {
    const result = await runCli(['--version'], { env, cwd: dir });
    expect([result.code, result.stdout]).toEqual([0, '0.1.0\n']);
  });

  it('needs --as-of with --orders', async () => {
    const result = await runCli(['report', '--orders', ordersPath], { env, cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--as-of: is required with --orders');
  });

  it('reports on the store at its latest completed run, with migration from its snapshots', async () => {
    const storePath = join(dir, 'shop.db');
    // Syncs run at 03:00 and compute as of the end of their UTC day.
    const asOf = Date.UTC(2026, 10, 25, 23, 59, 59, 999);
    const store = openStore(storePath, { now: () => Date.UTC(2026, 10, 25, 3, 0) });
    const order = (id: string, customerId: string, daysAgo: number, totalCents: number) => ({
      id, customerId, email: null, processedAt: asOf - daysAgo * DAY_MS, updatedAt: asOf - daysAgo * DAY_MS, totalCents,
      currency: 'CAD', cancelled: false, test: false, lines: [],
    });
    store.orders.upsertOrders([order('o1', 'a', 300, 5000), order('o2', 'b', 200, 1000), order('o3', 'b', 5, 2000), order('o4', 'c', 250, 100)]);
    const earlier = store.runs.startRun();
    store.snapshots.saveSnapshot(earlier.id, asOf - 40 * DAY_MS, [
      { customerId: 'a', tier: 'low_value', overlays: '', recency: 'cold' },
      { customerId: 'b', tier: 'mid_tier', overlays: '', recency: 'cold' },
    ]);
    store.runs.finishRun(earlier.id, 'completed', {});
    const latest = store.runs.startRun();
    store.snapshots.saveSnapshot(latest.id, asOf, []);
    store.runs.finishRun(latest.id, 'completed', {});
    // A later dry run completes without a snapshot: the report stays on the last applied sync.
    store.runs.finishRun(store.runs.startRun().id, 'completed', {});
    store.close();

    const out = join(dir, 'store-report.html');
    const result = await runCli(['report', '--store', storePath, '--out', out], { env, cwd: dir });
    expect(result.stderr).toContain(`wrote ${out}`);
    expect(result.code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('As of <strong>2026-11-25</strong>');
    expect(html).toContain(`source: store ${storePath}, run ${latest.id}`);
    expect(html).toContain('currency CAD');
    // LTV a 50.00 > b 30.00 > c 1.00: a 1/3 → mid_tier, b 2/3 → mid_tier, c 3/3 → low_value.
    expect(bars(html, 'tier-sizes')).toMatchObject({ 'Mid-Tier': 2, 'Low-Value': 1 });
    expect(html).toContain('Compared with the snapshot as of 2026-10-16 (2 customers)');
    // a: low → mid (up), b: mid → mid, c: absent → low.
    const matrix = html.match(/<svg[^>]*data-chart="migration-0".*?<\/svg>/)![0];
    expect(matrix).toContain('data-row="Low-Value" data-column="Mid-Tier" data-value="1"');
    expect(matrix).toContain('data-row="not a customer" data-column="Low-Value" data-value="1"');
  });

  it('names a store it cannot open, as a store problem rather than an unexpected failure', async () => {
    const notAStore = await mkdtemp(join(tmpdir(), 'tiersync-not-a-store-'));
    const result = await runCli(['report', '--store', notAStore, '--out', join(dir, 'never.html')], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tiersync: order store ${notAStore}: cannot open`);
    expect(result.stderr).toContain(`check that ${notAStore} is a tiersync store`);
    expect(result.stderr).not.toContain('unexpected failure');
  });

  it('says to run a sync first when the store has no snapshot of a completed sync', async () => {
    const storePath = join(dir, 'empty.db');
    openStore(storePath).close();
    const result = await runCli(['report', '--store', storePath, '--out', join(dir, 'never.html')], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tiersync: ${storePath}: no completed sync yet; run \`tiersync sync\` first`);
  });
});
