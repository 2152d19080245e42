import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.ts';
import { DAY_MS } from '../../../src/core/order.ts';
import { migrationWindows } from '../../../src/report/html/migration-windows.ts';
import { openStore } from '../../../src/store/open-store.ts';

const config = configSchema.parse({});
const asOf = Date.UTC(2026, 10, 25);
const entry = (customerId: string, tier: string) => ({ customerId, tier, overlays: '', recency: 'active' });

/** A store with runs 1..n (snapshots reference their run). */
function storeWithRuns(n: number) {
  const store = openStore(':memory:');
  for (let i = 0; i < n; i++) store.runs.startRun();
  return store;
}

describe('migrationWindows', () => {
  it('compares with the latest snapshot before asOf, at or before −30 days and at or before −90 days', () => {
    const store = storeWithRuns(4);
    store.snapshots.saveSnapshot(1, asOf - 100 * DAY_MS, [entry('a', 'low_value'), entry('b', 'mid_tier')]);
    store.snapshots.saveSnapshot(2, asOf - 30 * DAY_MS, [entry('a', 'mid_tier'), entry('b', 'mid_tier')]);
    store.snapshots.saveSnapshot(3, asOf - 2 * DAY_MS, [entry('a', 'vip'), entry('b', 'mid_tier')]);
    // The reported run's own snapshot is not "the previous run".
    const reported = store.snapshots.saveSnapshot(4, asOf, [entry('a', 'champion')]);
    const current = [{ customerId: 'a', tier: 'vip' }, { customerId: 'b', tier: 'high_value' }, { customerId: 'c', tier: 'new' }];

    const [previous, month, quarter] = migrationWindows(store.snapshots, asOf, current, config, reported.id);

    expect(previous!.snapshot!.runId).toBe(3);
    expect(previous!.report!.matrix).toEqual({ vip: { vip: 1 }, mid_tier: { high_value: 1 }, '(none)': { new: 1 } });
    expect(previous!.report!.elapsedDays).toBe(2);
    expect(month!.snapshot!.runId).toBe(2);
    expect(month!.report!.midUp).toBe(1);
    expect(quarter!.snapshot!.runId).toBe(1);
    expect(quarter!.report!.matrix.low_value).toEqual({ vip: 1 });
    expect(quarter!.report!.lowUp).toBe(1);
    store.close();
  });

  it('finds the previous run of a run on the same UTC day (both share the as-of), as sync does', () => {
    const store = storeWithRuns(2);
    store.snapshots.saveSnapshot(1, asOf, [entry('a', 'mid_tier')]);
    const reported = store.snapshots.saveSnapshot(2, asOf, [entry('a', 'vip')]);
    const [previous] = migrationWindows(store.snapshots, asOf, [{ customerId: 'a', tier: 'vip' }], config, reported.id);
    expect(previous!.snapshot!.runId).toBe(1);
    expect(previous!.report!.matrix).toEqual({ mid_tier: { vip: 1 } });
    expect(previous!.report!.elapsedDays).toBe(0);
    store.close();
  });

  it('without a reported run (an orders file, --as-of) takes the previous run strictly before the as-of', () => {
    const store = storeWithRuns(2);
    store.snapshots.saveSnapshot(1, asOf - DAY_MS, [entry('a', 'mid_tier')]);
    store.snapshots.saveSnapshot(2, asOf, [entry('a', 'vip')]);
    const [previous] = migrationWindows(store.snapshots, asOf, [{ customerId: 'a', tier: 'vip' }], config);
    expect(previous!.snapshot!.runId).toBe(1);
    store.close();
  });

  it('reports windows older than every snapshot as missing', () => {
    const store = storeWithRuns(1);
    store.snapshots.saveSnapshot(1, asOf - 5 * DAY_MS, [entry('a', 'vip')]);
    const windows = migrationWindows(store.snapshots, asOf, [{ customerId: 'a', tier: 'vip' }], config);
    expect(windows.map((w) => w.snapshot?.runId ?? null)).toEqual([1, null, null]);
    expect(windows[2]!.report).toBeNull();
    expect(windows[2]!.target).toBe(asOf - 90 * DAY_MS);
    store.close();
  });
});
