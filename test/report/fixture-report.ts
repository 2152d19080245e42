import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { configSchema } from '../../src/config/schema.ts';
import { DAY_MS } from '../../src/core/order.ts';
import { readOrders } from '../../src/ingest/read-orders.ts';
import { migrationWindows } from '../../src/report/html/migration-windows.ts';
import type { LiftReadout } from '../../src/report/lift-readout.ts';
import { buildReportModel, createReportCollector } from '../../src/report/html/report-model.ts';
import { renderReport } from '../../src/report/html/render-report.ts';
import { openStore } from '../../src/store/open-store.ts';
import { generateShop } from '../../src/synth/generate-shop.ts';
import { writeShop } from '../../src/synth/writers/write-shop.ts';

export const FIXTURE_AS_OF = new Date('2026-11-25T00:00:00Z');

const group = (customers: number, ordering: number, orders: number, revenue: number) => ({
  customers, ordering_customers: ordering, orders, revenue_cents: revenue,
  revenue_per_customer_cents: Math.round(revenue / customers), order_rate: Math.round((10_000 * ordering) / customers) / 10_000,
});

/** A lift readout with one segment that has an interval and one too small for one. */
export const FIXTURE_LIFT: LiftReadout = {
  since: '2026-10-01T08:00:00.000Z',
  segments: [
    { segment: 'vip', treated: group(40, 14, 18, 200_000), holdout: group(30, 6, 6, 48_000), revenue_per_customer_diff_cents: 3400, relative_lift: 2.125, ci95: [597, 6203], significant: true },
    { segment: 'champion', treated: group(9, 4, 5, 90_000), holdout: group(1, 0, 0, 0), revenue_per_customer_diff_cents: 10_000, relative_lift: null, ci95: null, significant: false },
  ],
};

/**
 * A report over a small seeded synthetic shop (EUR), with three snapshots in an in-memory
 * store: 3 days ago (today's tiers), 35 days ago (every 10th customer low-value) and 100 days
 * ago (everyone mid-tier), so every migration window has data.
 */
export async function buildFixtureReport(dir: string, customers = 1500) {
  const config = configSchema.parse({});
  const path = join(dir, 'orders.csv');
  const out = createWriteStream(path);
  await writeShop(generateShop({ seed: 7, customers, asOf: FIXTURE_AS_OF, currencyCode: 'EUR' }), out, 'plain-csv');
  out.end();
  await finished(out);

  const collector = createReportCollector(config, FIXTURE_AS_OF);
  await readOrders(path, collector.add);
  const collected = collector.finish();
  const { segments } = collected;
  const asOf = FIXTURE_AS_OF.getTime();
  const store = openStore(':memory:');
  const snapshot = (daysAgo: number, tierOf: (index: number, tier: string) => string) => {
    const run = store.runs.startRun();
    store.snapshots.saveSnapshot(
      run.id,
      asOf - daysAgo * DAY_MS,
      segments.map((s, index) => ({ customerId: s.customerId, tier: tierOf(index, s.tier), overlays: '', recency: s.recencyBucket })),
    );
  };
  snapshot(100, () => 'mid_tier');
  snapshot(35, (index, tier) => (index % 10 === 0 ? 'low_value' : tier));
  snapshot(3, (_, tier) => tier);
  const migrations = migrationWindows(store.snapshots, asOf, segments, config);
  store.close();

  const model = buildReportModel(collected, {
    config,
    asOf: FIXTURE_AS_OF,
    currency: collected.currency ?? 'USD',
    shop: 'demo <shop> & co',
    source: 'fixture',
    migrations,
    lift: FIXTURE_LIFT,
  });
  return { config, collected, model, html: renderReport(model) };
}
