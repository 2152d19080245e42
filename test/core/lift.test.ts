import { describe, expect, it } from 'vitest';
import { createLiftAccumulator } from '../../src/core/lift.ts';
import { studentTCritical } from '../../src/core/student-t.ts';

describe("Student's t critical values", () => {
  it('matches published quantiles t(0.975; df) (scipy.stats.t.ppf)', () => {
    expect(studentTCritical(10, 0.95)).toBeCloseTo(2.228138851986274, 9);
    expect(studentTCritical(3.5, 0.95)).toBeCloseTo(2.9400886379827282, 9);
    expect(studentTCritical(1000, 0.95)).toBeCloseTo(1.9623390808264083, 9);
  });
});

describe('lift', () => {
  // Treated: 40 customers, every 4th spent 100.00 in one order, i % 10 == 1 spent 250.00 in two;
  // holdout: 30 customers, every 5th spent 80.00 in one order. Expected figures computed apart
  // with numpy and scipy (Welch–Satterthwaite df 54.52, t 2.00444).
  const lift = createLiftAccumulator();
  for (let i = 0; i < 40; i++) {
    if (i % 4 === 0) lift.add('vip', false, 1, 10_000);
    else if (i % 10 === 1) lift.add('vip', false, 2, 25_000);
    else lift.add('vip', false, 0, 0);
  }
  for (let i = 0; i < 30; i++) lift.add('vip', true, i % 5 === 0 ? 1 : 0, i % 5 === 0 ? 8_000 : 0);
  lift.add('legacy_tier', false, 1, 500);
  lift.add('mid_tier', true, 0, 0);

  it('counts each group and puts a Welch 95% interval on the difference in revenue per customer', () => {
    const [vip] = lift.finish(['champion', 'vip', 'mid_tier'], 30);
    expect(vip).toEqual({
      segment: 'vip',
      treated: { customers: 40, ordering_customers: 14, orders: 18, revenue_cents: 200_000, revenue_per_customer_cents: 5000, order_rate: 0.35 },
      holdout: { customers: 30, ordering_customers: 6, orders: 6, revenue_cents: 48_000, revenue_per_customer_cents: 1600, order_rate: 0.2 },
      revenue_per_customer_diff_cents: 3400,
      relative_lift: 2.125,
      ci95: [597, 6203],
      significant: true,
    });
  });

  it('draws no interval for a group under the minimum, and orders segments as configured, unknown ones last', () => {
    const segments = lift.finish(['champion', 'vip', 'mid_tier'], 30);
    expect(segments.map((s) => s.segment)).toEqual(['vip', 'mid_tier', 'legacy_tier']);
    expect(segments[1]).toMatchObject({ ci95: null, significant: false, relative_lift: null, treated: { customers: 0, order_rate: 0 } });
    expect(lift.finish(['vip'], 41)[0]).toMatchObject({ ci95: null, significant: false, revenue_per_customer_diff_cents: 3400 });
  });
});
