import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { DAY_MS } from '../../src/core/order.ts';
import { createSegmentationRun } from '../../src/core/run-segmentation.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import { readOrders } from '../../src/ingest/read-orders.ts';
import type { RunningSandbox } from '../../src/sandbox/start-sandbox.ts';
import { generateShop } from '../../src/synth/generate-shop.ts';
import type { ShopRecord } from '../../src/synth/types.ts';
import { writeShop } from '../../src/synth/writers/write-shop.ts';
import { startTestSandbox, TEST_AS_OF } from '../helpers/sandbox.ts';
import { syncAgainst, tempStorePath } from '../sync/sync-helpers.ts';
import { referenceSegments, type ReferenceOrder, type ReferenceSegment } from './design-rules.ts';

/** Small enough to run in seconds, large enough that 0.1% is one or two customers. */
const SHOP = { customers: 1500, seed: 48, historyMonths: 48 } as const;
/** docs/DESIGN.md's defaults; the model's outputs are not compared, and skipping its fit saves seconds. */
const CONFIG_JSON = { predictions: { enabled: false } };
const config = parseConfig(CONFIG_JSON, 'defaults');

/** The generated shop's orders as the reference reads them (customer GIDs, as Shopify names them). */
function referenceOrders(records: readonly ShopRecord[]): ReferenceOrder[] {
  return records.flatMap((record) => (record.kind === 'customer' ? record.orders : [record.order])).map((order) => ({
    customerId: order.customerId === null ? null : `gid://shopify/Customer/${order.customerId}`,
    processedAt: Date.parse(order.processedAt),
    totalCents: Math.round(Number(order.currentTotalPrice) * 100),
    cancelled: order.cancelledAt !== null,
    test: order.test,
  }));
}

const view = (s: CustomerSegment): ReferenceSegment => ({
  tier: s.tier, recency: s.recencyBucket, rfm: s.rfm, churnRisk: s.churnRisk, atRisk: s.atRisk, lapsed: s.lapsed, suppressed: s.suppressed, reactivationDue: s.reactivationDue,
});

/** Share of the reference's customers whose every tier and overlay the segments match. */
function agreement(segments: readonly CustomerSegment[], reference: ReadonlyMap<string, ReferenceSegment>) {
  const byId = new Map(segments.map((s) => [s.customerId, view(s)]));
  let same = 0;
  const differing: string[] = [];
  for (const [id, expected] of reference) {
    const got = byId.get(id);
    if (got && JSON.stringify(got) === JSON.stringify(expected)) same++;
    else differing.push(id);
  }
  return { share: same / reference.size, differing, extra: segments.filter((s) => !reference.has(s.customerId)).length };
}

async function segmentFile(path: string, asOf: Date): Promise<CustomerSegment[]> {
  const run = createSegmentationRun(config, asOf);
  await readOrders(path, run.add);
  return run.finish().segments;
}

describe('segment and sync agree with an independent reference of docs/DESIGN.md on a 48-month shop', () => {
  const records = [...generateShop({ ...SHOP, asOf: TEST_AS_OF })];
  const orders = referenceOrders(records);
  const file = join(mkdtempSync(join(tmpdir(), 'tiersync-reference-')), 'orders.jsonl');
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    const out = createWriteStream(file);
    await writeShop(records, out, 'bulk-jsonl');
    out.end();
    await finished(out);
    sandbox = await startTestSandbox(SHOP);
  });
  afterAll(() => sandbox?.close());

  it('sync on the shop and segment on its exported orders give the reference answer for every customer, dormant ones included', async () => {
    const synced = await syncAgainst(sandbox, tempStorePath(), { mode: 'plan', configJson: CONFIG_JSON });
    const reference = referenceSegments(orders, synced.asOf);
    const fromFile = await segmentFile(file, synced.asOf);

    const dormant = [...reference.values()].filter((s) => s.lapsed !== null || s.suppressed).length;
    const zeroLtv = synced.segments.filter((s) => s.tier !== 'new' && s.historicalLtvCents === 0);
    const dormantYears = synced.segments.filter((s) => s.daysSinceLast >= 730);
    // Every customer silent for 730 days is there, at LTV 0, in the lowest tier.
    expect(dormantYears.length).toBeGreaterThan(400);
    expect(dormantYears.every((s) => s.historicalLtvCents === 0 && s.tier === 'low_value' && s.suppressed && s.recencyBucket === 'cold')).toBe(true);
    expect(zeroLtv.length / synced.segments.filter((s) => s.tier !== 'new').length).toBeGreaterThan(0.2);
    expect(dormant).toBeGreaterThan(zeroLtv.length);

    const sync = agreement(synced.segments, reference);
    const segment = agreement(fromFile, reference);
    expect([sync.extra, segment.extra]).toEqual([0, 0]);
    expect(sync.share).toBeGreaterThanOrEqual(0.999);
    expect(segment.share).toBeGreaterThanOrEqual(0.999);
    // The same orders, the same answer, customer by customer.
    expect(fromFile.map(view)).toEqual(synced.segments.map(view));
  });

  it('segment agrees with the reference on the same file a year later, when most mature customers have LTV 0', async () => {
    const asOf = new Date(TEST_AS_OF.getTime() + 390 * DAY_MS);
    const reference = referenceSegments(orders, asOf);
    const segments = await segmentFile(file, asOf);
    const mature = segments.filter((s) => s.tier !== 'new');
    expect(mature.filter((s) => s.historicalLtvCents === 0).length / mature.length).toBeGreaterThan(0.5);
    expect(agreement(segments, reference).share).toBeGreaterThanOrEqual(0.999);
  });
});
