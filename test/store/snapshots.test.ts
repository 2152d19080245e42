import { describe, expect, it } from 'vitest';
import { tempStore } from './temp-store.ts';

describe('order store: segment snapshots', () => {
  it('stores a run\'s tiers and overlays compactly and finds the latest at or before a time', () => {
    const { store } = tempStore();
    const entries = [
      { customerId: 'gid://shopify/Customer/1', tier: 'vip', overlays: 'ra', recency: 'warm' },
      { customerId: 'gid://shopify/Customer/2', tier: 'new', overlays: '', recency: 'active' },
    ];
    const first = store.snapshots.saveSnapshot(null, 1000, entries);
    const second = store.snapshots.saveSnapshot(null, 2000, [entries[0]!]);
    expect(store.snapshots.loadSnapshot(first.id)).toEqual(entries);
    expect(store.snapshots.latestSnapshotAtOrBefore(1999)?.id).toBe(first.id);
    expect(store.snapshots.latestSnapshotAtOrBefore(2000)).toMatchObject({ id: second.id, customers: 1, asOf: 2000 });
    expect(store.snapshots.latestSnapshotAtOrBefore(999)).toBeNull();
    expect(store.snapshots.latestSnapshotAtOrBefore(2000, second.id)?.id).toBe(first.id);
  });

  it('keeps 1,000,000 customers well under 50 MB', () => {
    const { store } = tempStore();
    const tiers = ['champion', 'vip', 'high_value', 'mid_tier', 'low_value', 'new'];
    const entries = Array.from({ length: 1_000_000 }, (_, i) => ({
      customerId: `gid://shopify/Customer/${7_100_000_000 + i}`, tier: tiers[(i * 7) % 6]!, overlays: i % 3 ? '' : 'sa', recency: i % 2 ? 'cold' : 'warm',
    }));
    const info = store.snapshots.saveSnapshot(null, 0, entries);
    expect(info.bytes).toBeLessThan(50_000_000);
    expect(store.snapshots.loadSnapshot(info.id)[999_999]).toEqual(entries[999_999]);
  });
});
