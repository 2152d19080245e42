import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { CustomerFacts } from '../../src/core/facts.ts';
import { heuristicChurnRisk, recencyBucketOf, segmentCustomers } from '../../src/core/segment.ts';

const config = parseConfig({}, 'test');

/** A mature customer's facts with neutral defaults; override what a test is about. */
function facts(customerId: string, over: Partial<CustomerFacts> = {}): CustomerFacts {
  return {
    customerId, email: null, firstOrderAt: 0, lastOrderAt: 0, orders: 1, revenueCents: 100, aovCents: 100,
    ordersLast365: 1, revenueLast365Cents: 100, ltvCents: 100, daysSinceLast: 10, tenureDays: 400,
    cohort: '2024-11', orderTrend: 0, orderImprovement: 0, topCategory: null, ...over,
  };
}

/** n mature customers with LTVs n, n−1, ..., 1 (ids c1..cn, c1 the highest). */
const ladder = (n: number, over: Partial<CustomerFacts> = {}) =>
  Array.from({ length: n }, (_, i) => facts(`c${i + 1}`, { ltvCents: n - i, ...over }));

const tiersOf = (list: CustomerFacts[], cfg = config) => segmentCustomers(list, cfg).map((s) => s.tier);

describe('tiers by percentile', () => {
  it('cuts 100 distinct customers at exactly 1 / 10 / 20 / 80 / 100%', () => {
    const tiers = tiersOf(ladder(100));
    const count = (t: string) => tiers.filter((x) => x === t).length;
    expect([count('champion'), count('vip'), count('high_value'), count('mid_tier'), count('low_value')]).toEqual([1, 9, 10, 60, 20]);
    expect(tiers[0]).toBe('champion'); // top share 1/100 = 1%
    expect(tiers[1]).toBe('vip'); // 2%
    expect(tiers[9]).toBe('vip'); // 10%
    expect(tiers[10]).toBe('high_value'); // 11%
    expect(tiers[19]).toBe('high_value'); // 20%
    expect(tiers[20]).toBe('mid_tier'); // 21%
    expect(tiers[79]).toBe('mid_tier'); // 80%
    expect(tiers[80]).toBe('low_value'); // 81%
  });

  it('reports top share = (customers strictly higher + 1) / N', () => {
    const segments = segmentCustomers(ladder(4), config);
    expect(segments.map((s) => s.topShare)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it('gives equal values one rank, so a tie straddling a cut-off goes to the higher tier', () => {
    // LTVs 100, 90, 90, 90, then 6 lower: the 90s have 1 customer above → top share 2/10 = 20%.
    const list = [100, 90, 90, 90, 50, 40, 30, 20, 10, 5].map((ltv, i) => facts(`c${i}`, { ltvCents: ltv }));
    expect(tiersOf(list)).toEqual(['vip', 'high_value', 'high_value', 'high_value', 'mid_tier', 'mid_tier', 'mid_tier', 'mid_tier', 'low_value', 'low_value']);
  });

  it('puts a lone customer at top share 1, the last tier', () => {
    const [only] = segmentCustomers([facts('solo', { ltvCents: 10_000 })], config);
    expect(only!.topShare).toBe(1);
    expect(only!.tier).toBe('low_value');
  });

  it('keeps a zero-LTV block larger than the low-value share in the last tier', () => {
    // 10 customers with LTV 10..1, then 30 with LTV 0 (75% of 40, far over low_value's 20%):
    // the zeros share rank 10, top share 11/40 = 27.5%, which alone would read mid_tier.
    const list = [...ladder(10), ...Array.from({ length: 30 }, (_, i) => facts(`z${i}`, { ltvCents: 0 }))];
    const segments = segmentCustomers(list, config);
    expect(segments.slice(10).every((s) => s.tier === 'low_value' && s.topShare === 0.275)).toBe(true);
    expect(segments.slice(0, 10).map((s) => s.tier)).toEqual(['vip', 'vip', 'vip', 'vip', 'high_value', 'high_value', 'high_value', 'high_value', 'mid_tier', 'mid_tier']);
  });

  it('puts every zero-LTV customer last even when all mature customers have LTV 0', () => {
    expect(new Set(tiersOf(ladder(20, { ltvCents: 0 })))).toEqual(new Set(['low_value']));
  });

  it('gives all-equal customers the same rank 0 and top share 1/N', () => {
    const segments = segmentCustomers(ladder(50, { ltvCents: 700 }), config);
    expect(new Set(segments.map((s) => s.topShare))).toEqual(new Set([1 / 50]));
    expect(new Set(segments.map((s) => s.tier))).toEqual(new Set(['vip']));
  });

  it('ranks zero-LTV customers last and still tiers them', () => {
    const list = [facts('a', { ltvCents: 0 }), facts('b', { ltvCents: 500 })];
    expect(segmentCustomers(list, config).map((s) => [s.tier, s.topShare])).toEqual([['low_value', 1], ['mid_tier', 0.5]]);
  });
});

describe('new customers', () => {
  it('makes tenure < 90 days `new`, unranked, and leaves them out of the mature ranking', () => {
    const list = [facts('young', { tenureDays: 89, ltvCents: 99_999 }), facts('m1', { tenureDays: 90, ltvCents: 10 }), facts('m2', { ltvCents: 5 })];
    const segments = segmentCustomers(list, config);
    expect(segments.map((s) => [s.tier, s.topShare])).toEqual([['new', null], ['mid_tier', 0.5], ['low_value', 1]]);
  });

  it('benchmarks each customer within the first-order-month cohort', () => {
    const list = [
      facts('a', { tenureDays: 10, cohort: '2025-12', ltvCents: 300 }),
      facts('b', { tenureDays: 20, cohort: '2025-12', ltvCents: 100 }),
      facts('c', { tenureDays: 30, cohort: '2025-12', ltvCents: 300 }),
      facts('d', { tenureDays: 40, cohort: '2025-11', ltvCents: 1 }),
    ];
    // cohort 2025-12 (3 customers): 300s have none higher → 100 × 3/3; 100 has two higher → 100 × 1/3.
    expect(segmentCustomers(list, config).map((s) => s.cohortPercentile)).toEqual([100, 33.33, 100, 100]);
  });
});

describe('strict VIP rule', () => {
  const strict = parseConfig({ strict_vip: { enabled: true } }, 'test');
  it('drops a VIP who fails AOV > 2 × median AOV or ≥ 3 orders in 12 months to the next tier', () => {
    // 10 customers: c1 takes vip (top share 10%, no champion at N=10). Median AOV of the 10 = 100.
    const base = ladder(10);
    const pass = [facts('c1', { ltvCents: 10, aovCents: 201, ordersLast365: 3 }), ...base.slice(1)];
    const lowAov = [facts('c1', { ltvCents: 10, aovCents: 200, ordersLast365: 3 }), ...base.slice(1)];
    const fewOrders = [facts('c1', { ltvCents: 10, aovCents: 500, ordersLast365: 2 }), ...base.slice(1)];
    expect(tiersOf(pass, strict)[0]).toBe('vip');
    expect(tiersOf(lowAov, strict)[0]).toBe('high_value');
    expect(tiersOf(fewOrders, strict)[0]).toBe('high_value');
    expect(tiersOf(fewOrders)[0]).toBe('vip');
  });
});

describe('recency buckets', () => {
  it.each([
    [0, 'active'], [30, 'active'], [31, 'warm'], [90, 'warm'], [91, 'cool'], [180, 'cool'], [181, 'cold'], [5000, 'cold'],
  ])('day %i is %s', (days, bucket) => {
    expect(recencyBucketOf(days, config)).toBe(bucket);
  });
});

describe('RFM scores', () => {
  it('scores min(5, 1 + floor(5w/N)) with w the customers strictly worse', () => {
    // 10 customers, days since last 1..10: R of the freshest has 9 worse → 1 + floor(45/10) = 5.
    const list = Array.from({ length: 10 }, (_, i) => facts(`c${i}`, { daysSinceLast: i + 1, orders: 10 - i, ltvCents: (i + 1) * 100 }));
    const s = segmentCustomers(list, config);
    expect(s.map((x) => x.r)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(s.map((x) => x.f)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(s.map((x) => x.m)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(s[0]!.rfm).toBe('551');
  });

  it('gives ties the lower score', () => {
    // orders 1,1,1,2,5: the three 1s have w=0 → 1; the 2 has w=3 → 1+3 = 4; the 5 has w=4 → 5.
    const list = [1, 1, 1, 2, 5].map((orders, i) => facts(`c${i}`, { orders }));
    expect(segmentCustomers(list, config).map((s) => s.f)).toEqual([1, 1, 1, 4, 5]);
  });

  it('scores a lone customer 1 on every axis', () => {
    expect(segmentCustomers([facts('a')], config)[0]!.rfm).toBe('111');
  });
});

describe('churn risk', () => {
  it('follows the guide formula, rounded and clamped', () => {
    // d=1, trend 1, improvement 1: 100 − (364/365)·50 − 6 − 2 = 42.137 → 42
    expect(heuristicChurnRisk({ daysSinceLast: 1, orderTrend: 1, orderImprovement: 1 })).toBe(42);
    // d=0, trend +5, improvement +10: 100 − 50 − 30 − 20 = 0
    expect(heuristicChurnRisk({ daysSinceLast: 0, orderTrend: 9, orderImprovement: 30 })).toBe(0);
    // d≥365, trend −5, improvement −10: 100 + 30 + 20 → clamped 100
    expect(heuristicChurnRisk({ daysSinceLast: 900, orderTrend: -7, orderImprovement: -12 })).toBe(100);
    // d=219, trend 0, improvement 0: 100 − (146/365)·50 = 80
    expect(heuristicChurnRisk({ daysSinceLast: 219, orderTrend: 0, orderImprovement: 0 })).toBe(80);
  });
});

describe('overlays', () => {
  // 100 customers: c1 champion, c2..c10 vip, c11..c20 high_value, c21..c80 mid, c81..c100 low.
  const withOverride = (index: number, over: Partial<CustomerFacts>) => {
    const list = ladder(100);
    list[index] = { ...list[index]!, ...over };
    return segmentCustomers(list, config)[index]!;
  };

  it('flags a champion or VIP with churn risk above 70 as at risk, not at exactly 70', () => {
    // d=146: 100 − (219/365)·50 = 70 exactly (trend/improvement 0).
    expect(withOverride(0, { daysSinceLast: 146 }).churnRisk).toBe(70);
    expect(withOverride(0, { daysSinceLast: 146 }).atRisk).toBe(false);
    expect(withOverride(0, { daysSinceLast: 150 }).atRisk).toBe(true);
    expect(withOverride(5, { daysSinceLast: 150 }).atRisk).toBe(true);
    expect(withOverride(30, { daysSinceLast: 150 }).atRisk).toBe(false);
  });

  it('flags an active high-value customer with a declining trend as at risk', () => {
    expect(withOverride(15, { daysSinceLast: 30, orderTrend: -1 }).atRisk).toBe(true);
    expect(withOverride(15, { daysSinceLast: 31, orderTrend: -1 }).atRisk).toBe(false);
    expect(withOverride(15, { daysSinceLast: 30, orderTrend: 0 }).atRisk).toBe(false);
  });

  it('marks lapsed high-value (top 20%) and lapsed low-value after 180 days, not at 180', () => {
    expect(withOverride(15, { daysSinceLast: 181 }).lapsed).toBe('high_value');
    expect(withOverride(0, { daysSinceLast: 181 }).lapsed).toBe('high_value');
    expect(withOverride(15, { daysSinceLast: 180 }).lapsed).toBeNull();
    expect(withOverride(90, { daysSinceLast: 181 }).lapsed).toBe('low_value');
    expect(withOverride(50, { daysSinceLast: 181 }).lapsed).toBeNull();
  });

  it('suppresses customers outside the top 20% after 180 days', () => {
    expect(withOverride(50, { daysSinceLast: 181 }).suppressed).toBe(true);
    expect(withOverride(50, { daysSinceLast: 180 }).suppressed).toBe(false);
    expect(withOverride(15, { daysSinceLast: 400 }).suppressed).toBe(false);
  });

  it('makes reactivation due at the tier trigger, never for the suppressed', () => {
    expect(withOverride(0, { daysSinceLast: 59 }).reactivationDue).toBe(false);
    expect(withOverride(0, { daysSinceLast: 60 }).reactivationDue).toBe(true);
    expect(withOverride(5, { daysSinceLast: 75 }).reactivationDue).toBe(true);
    expect(withOverride(15, { daysSinceLast: 89 }).reactivationDue).toBe(false);
    expect(withOverride(15, { daysSinceLast: 90 }).reactivationDue).toBe(true);
    expect(withOverride(50, { daysSinceLast: 120 }).reactivationDue).toBe(true);
    expect(withOverride(90, { daysSinceLast: 180 }).reactivationDue).toBe(true);
    expect(withOverride(90, { daysSinceLast: 181 }).reactivationDue).toBe(false); // suppressed
  });

  it('never makes reactivation due for new customers', () => {
    const list = [...ladder(10), facts('young', { tenureDays: 80, daysSinceLast: 80 })];
    expect(segmentCustomers(list, config).at(-1)).toMatchObject({ tier: 'new', reactivationDue: false, suppressed: false });
  });
});

describe('predictive model wiring', () => {
  const predictions = new Map([
    ['c1', { expectedOrders365: 0.1, pAlive: 0.2, expectedOrderValueCents: 1000, predictedClvCents: 100 }],
    ['c2', { expectedOrders365: 2, pAlive: 0.955, expectedOrderValueCents: 1000, predictedClvCents: 2000 }],
  ]);
  const list = [facts('c1', { ltvCents: 5000 }), facts('c2', { ltvCents: 1000 })];

  it('ranks on historical LTV by default and reports the predictions beside it', () => {
    const [c1, c2] = segmentCustomers(list, config, predictions);
    expect([c1!.ltvCents, c1!.topShare, c2!.topShare]).toEqual([5000, 0.5, 1]);
    expect([c1!.predictedClvCents, c1!.pAlive, c1!.expectedOrders365]).toEqual([100, 0.2, 0.1]);
    expect(c1!.churnRisk).toBe(heuristicChurnRisk(list[0]!));
  });

  it('ranks on predicted CLV with ltv.model predictive, and on the sum with total', () => {
    const predictive = segmentCustomers(list, parseConfig({ ltv: { model: 'predictive' } }, 't'), predictions);
    expect(predictive.map((s) => [s.ltvCents, s.topShare, s.historicalLtvCents])).toEqual([[100, 1, 5000], [2000, 0.5, 1000]]);
    const total = segmentCustomers(list, parseConfig({ ltv: { model: 'total' } }, 't'), predictions);
    expect(total.map((s) => s.ltvCents)).toEqual([5100, 3000]);
  });

  it('takes churn risk from P(alive) with churn.model bgnbd: round(100 × (1 − p))', () => {
    const segments = segmentCustomers(list, parseConfig({ churn: { model: 'bgnbd' } }, 't'), predictions);
    expect(segments.map((s) => s.churnRisk)).toEqual([80, 5]); // 100·0.8 = 80; 100·0.045 = 4.5 → 5
  });

  it('falls back to historical LTV and heuristic churn for a customer without a prediction', () => {
    const segments = segmentCustomers(list, parseConfig({ ltv: { model: 'predictive' }, churn: { model: 'bgnbd' } }, 't'), new Map());
    expect(segments.map((s) => [s.ltvCents, s.predictedClvCents, s.churnRisk])).toEqual([[5000, null, heuristicChurnRisk(list[0]!)], [1000, null, heuristicChurnRisk(list[1]!)]]);
  });
});
