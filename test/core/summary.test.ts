import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { migration } from '../../src/core/migration.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import { summarize } from '../../src/core/summary.ts';

const config = parseConfig({ health: { min_segment_size: 2 } }, 'test');

function seg(tier: string, ltvCents: number, over: Partial<CustomerSegment> = {}): CustomerSegment {
  return {
    customerId: `${tier}-${ltvCents}`, email: null, tier, ltvCents, historicalLtvCents: ltvCents, predictedClvCents: null,
    pAlive: null, expectedOrders365: null, topShare: 0.5, orders: 1, ordersLast365: 1, revenueCents: ltvCents, aovCents: ltvCents,
    firstOrderAt: 0, lastOrderAt: 0, daysSinceLast: 1, tenureDays: 100, recencyBucket: 'active', r: 1, f: 1, m: 1, rfm: '111',
    churnRisk: 0, atRisk: false, lapsed: null, suppressed: false, reactivationDue: false, cohort: '2025-01', cohortPercentile: 100,
    topCategory: null, rfmSegment: 'Lost', frequencyTrend: 'stable', ...over,
  };
}

describe('summary and health checks', () => {
  const segments = [
    seg('champion', 5000), seg('champion', 3000),
    seg('vip', 1000, { atRisk: true }), seg('vip', 1000),
    seg('high_value', 500, { lapsed: 'high_value' }), seg('high_value', 500),
    seg('mid_tier', 200, { recencyBucket: 'cold', suppressed: true }), seg('mid_tier', 100),
    seg('low_value', 50, { lapsed: 'low_value', suppressed: true }), seg('low_value', 50, { reactivationDue: true }),
    seg('new', 400), seg('new', 200),
  ];
  const summary = summarize(segments, config);

  it('counts tier sizes, LTV, revenue share and average LTV', () => {
    const champion = summary.tiers.find((t) => t.tier === 'champion')!;
    expect(summary.totalLtvCents).toBe(12_000);
    expect(champion).toEqual({ tier: 'champion', label: 'Champions', customers: 2, ltvCents: 8000, revenueShare: 8000 / 12_000, averageLtvCents: 4000 });
    expect(summary.tiers.map((t) => t.customers)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(summary.matureCustomers).toBe(10);
  });

  it('counts overlays and recency buckets', () => {
    expect(summary.overlays).toEqual({ atRisk: 1, lapsedHighValue: 1, lapsedLowValue: 1, suppressed: 2, reactivationDue: 1 });
    expect(summary.recency).toEqual({ active: 11, warm: 0, cool: 0, cold: 1 });
  });

  it('measures the top tiers\' share of mature revenue and warns outside 60–80%', () => {
    // top tiers: 8000 + 2000 + 1000 = 11000 of mature 11400 → 96.5%
    expect(summary.topRevenueShare).toBeCloseTo(11_000 / 11_400, 10);
    expect(summary.warnings.map((w) => w.code)).toEqual(['top_revenue_share']);
  });

  it('warns about segments under the minimum size and over 60% of the base', () => {
    const small = summarize([seg('champion', 10), ...Array.from({ length: 9 }, (_, i) => seg('mid_tier', i))], config);
    const codes = small.warnings.map((w) => `${w.code}:${w.message.split(' ')[0]}`);
    expect(codes).toContain('segment_too_small:VIP');
    expect(codes).toContain('segment_too_large:Mid-Tier');
    expect(codes).not.toContain('segment_too_small:New');
  });
});

describe('migration', () => {
  it('builds the tier matrix and the up/down rates against the healthy bands', () => {
    const previous = new Map([
      ['a', 'champion'], ['b', 'champion'], ['c', 'vip'], ['d', 'mid_tier'], ['e', 'mid_tier'], ['f', 'low_value'], ['g', 'new'],
    ]);
    const current = [
      { customerId: 'a', tier: 'champion' }, { customerId: 'b', tier: 'vip' }, { customerId: 'c', tier: 'vip' },
      { customerId: 'd', tier: 'high_value' }, { customerId: 'e', tier: 'mid_tier' }, { customerId: 'f', tier: 'low_value' },
      { customerId: 'g', tier: 'mid_tier' }, { customerId: 'h', tier: 'new' },
    ];
    const report = migration(previous, current, config, 30);
    expect(report.matrix).toEqual({
      champion: { champion: 1, vip: 1 }, vip: { vip: 1 }, mid_tier: { high_value: 1, mid_tier: 1 },
      low_value: { low_value: 1 }, new: { mid_tier: 1 }, '(none)': { new: 1 },
    });
    expect(report.championStickiness).toBe(0.5);
    expect(report.topDown).toBeCloseTo(1 / 3, 10);
    expect(report.midUp).toBe(0.5);
    expect(report.lowUp).toBe(0);
    expect(report.warnings).toHaveLength(4);
  });

  it('reports moves but no band warnings between runs closer than a month', () => {
    const report = migration(new Map([['a', 'champion']]), [{ customerId: 'a', tier: 'vip' }], config, 1);
    expect([report.championStickiness, report.topDown, report.warnings]).toEqual([0, 1, []]);
  });

  it('has no rates and no warnings without a previous run', () => {
    const report = migration(new Map(), [{ customerId: 'a', tier: 'vip' }], config, 30);
    expect([report.midUp, report.lowUp, report.topDown, report.championStickiness, report.warnings]).toEqual([null, null, null, null, []]);
  });
});
