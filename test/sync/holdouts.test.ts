import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import { planRunHoldouts } from '../../src/sync/holdouts.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { tempStore } from '../store/temp-store.ts';

const segments = (tier: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ customerId: `gid://shopify/Customer/${from + i}`, tier }) as CustomerSegment);

describe('a run\'s holdouts', () => {
  it('holds out exactly the share of each segment, keeps it run after run, and tops a segment up as it grows', () => {
    const { store } = tempStore();
    const config = parseConfig({}, 'test');
    const base = [...segments('vip', 1, 300), ...segments('mid_tier', 1001, 1200), ...segments('champion', 5001, 4)];
    const first = planRunHoldouts(store, base, config, seededRandom(1));
    expect([first.heldOut, first.newlyAssigned]).toEqual([30 + 120, 1504]);
    expect(first.commit(1000)).toBe(1504);
    const heldFirst = base.filter((s) => first.isHeldOut(s.customerId)).map((s) => s.customerId);

    // Customers who moved tier keep their group; a different random source changes nothing now.
    const moved = base.map((s, i) => (i < 100 ? { ...s, tier: 'mid_tier' } : s));
    const second = planRunHoldouts(store, moved, config, seededRandom(99));
    expect([second.heldOut, second.newlyAssigned]).toEqual([150, 0]);
    expect(moved.filter((s) => second.isHeldOut(s.customerId)).map((s) => s.customerId)).toEqual(heldFirst);

    const grown = [...base, ...segments('vip', 401, 10)];
    const third = planRunHoldouts(store, grown, config, seededRandom(1));
    expect([third.heldOut, third.newlyAssigned]).toEqual([151, 10]);
    third.commit(2000);
    expect(store.holdouts.cohorts().get('vip')).toEqual({ assigned: 310, heldOut: 31 });
    expect(store.holdouts.cohorts().get('champion')).toEqual({ assigned: 4, heldOut: 0 });
  });

  it('with holdout.share 0 holds nobody out, assigns nobody and draws no salt', () => {
    const { store } = tempStore();
    const off = planRunHoldouts(store, segments('vip', 1, 300), parseConfig({ holdout: { share: 0 } }, 'test'), () => 0.5);
    expect([off.heldOut, off.newlyAssigned, off.commit(1000), off.isHeldOut('gid://shopify/Customer/1')]).toEqual([0, 0, 0, false]);
    expect([store.holdouts.salt(), store.holdouts.countAssigned()]).toEqual([null, 0]);
  });
});
