import { describe, expect, it } from 'vitest';
import { buildPlaybook } from '../../src/activation/playbook.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { CustomerFacts } from '../../src/core/facts.ts';
import { segmentCustomers, type CustomerSegment } from '../../src/core/segment.ts';
import { playbookCsv } from '../../src/report/playbook/playbook-csv.ts';
import { playbookMarkdown } from '../../src/report/playbook/playbook-markdown.ts';

const config = parseConfig({}, 'test');
const [base] = segmentCustomers(
  [{ customerId: 'x', email: null, firstOrderAt: 0, lastOrderAt: 0, orders: 1, revenueCents: 100, aovCents: 100, ordersLast365: 1, revenueLast365Cents: 100, ltvCents: 100, daysSinceLast: 10, tenureDays: 400, cohort: '2024-11', orderTrend: 0, orderImprovement: 0, topCategory: null } as CustomerFacts],
  config,
) as [CustomerSegment];

const seg = (customerId: string, over: Partial<CustomerSegment>): CustomerSegment => ({
  ...base, customerId, email: `${customerId}@example.com`, atRisk: false, lapsed: null, suppressed: false, reactivationDue: false,
  predictedClvCents: null, pAlive: null, expectedOrders365: null, ...over,
});

describe('buildPlaybook', () => {
  const segments = [
    seg('1', { tier: 'vip', ltvCents: 60_000, atRisk: true }),
    seg('2', { tier: 'vip', ltvCents: 40_001, reactivationDue: true }),
    // Shares an email with customer 1: Klaviyo holds one profile for both.
    seg('3', { tier: 'mid_tier', ltvCents: 10_000, email: '1@example.com' }),
    seg('4', { tier: 'low_value', ltvCents: 0, email: null, suppressed: true }),
  ];
  const rows = buildPlaybook({ segments, config, live: null });
  const row = (key: string) => rows.find((r) => r.key === key)!;

  it('sizes, shares and value per segment, tiers then overlays, from the segments alone', () => {
    expect(rows.map((r) => [r.key, r.customers])).toEqual([
      ['champion', 0], ['vip', 2], ['high_value', 0], ['mid_tier', 1], ['low_value', 1], ['new', 0],
      ['at_risk', 1], ['lapsed_high_value', 0], ['lapsed_low_value', 0], ['reactivate', 1], ['suppressed', 1],
    ]);
    expect(row('vip')).toMatchObject({ segment: 'VIP', share: 0.5, averageLtvCents: 50_001, revenueShare: 100_001 / 110_001, predictedRevenueNextYearCents: null, expectedReturningCustomers: null });
    expect(row('champion')).toMatchObject({ customers: 0, share: 0, averageLtvCents: null, revenueShare: 0 });
    // One profile per email: customer 3 shares customer 1's, and 1 ranks higher (vip).
    expect([row('vip').klaviyoExpected, row('mid_tier').klaviyoExpected, row('low_value').klaviyoExpected]).toEqual([2, 0, 0]);
  });

  it('fills the seed defaults, the triggers and the platform setup from the config', () => {
    expect(row('vip')).toMatchObject({
      emailCadence: '2–3x/week',
      tone: 'Exclusive, escalation',
      reactivationTriggerDays: 75,
      reactivationTrigger: '75 days without an order',
      suppressionRule: 'Never on the master suppression list (top tiers); moves to Lapsed High-Value after 180 days without an order',
      channels: ['email', 'SMS'],
      platform: {
        tag: 'ltv:vip',
        shopifySegment: { name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" },
        metafield: "metafields.tiersync.tier = 'vip'",
        klaviyoList: 'tiersync: VIP',
        klaviyoSegment: 'tiersync: VIP',
        flowTrigger: 'Klaviyo list "tiersync: VIP": a profile is added',
      },
    });
    expect(row('suppressed')).toMatchObject({ reactivationTriggerDays: null, reactivationTrigger: 'never: on the master suppression list', channels: [], platform: { flow: 'None: exclude "tiersync: Suppressed" from every campaign and flow' } });
    expect(row('lapsed_high_value').reactivationTriggerDays).toBe(180);
    expect(row('at_risk').reactivationTrigger).toBe('now: churn risk above 70');
  });

  it('takes every text from the config, and says which key is missing for a segment without texts', () => {
    const custom = parseConfig({ playbook: { segments: { vip: { email_cadence: 'daily', offer_strategy: 'o', tone: 't', suppression_rule: 'after {suppression_days} days', channels: ['email'], flow: 'f' } } } }, 'test');
    const customRows = buildPlaybook({ segments, config: custom, live: null });
    expect(customRows.find((r) => r.key === 'vip')).toMatchObject({ emailCadence: 'daily', suppressionRule: 'after 180 days' });
    expect(customRows.find((r) => r.key === 'champion')?.emailCadence).toBe('not configured (set playbook.segments.champion)');
  });

  it('counts who each channel may reach under the default eligibility rules', () => {
    const lowValue = [
      seg('a', { tier: 'low_value', daysSinceLast: 10 }),
      seg('b', { tier: 'low_value', daysSinceLast: 45 }),
      seg('c', { tier: 'low_value', daysSinceLast: 200, suppressed: true }),
    ];
    const low = buildPlaybook({ segments: lowValue, config, live: null }).find((r) => r.key === 'low_value')!;
    // a: every channel; b: out of SMS and push (not active in 30 days); c: out of all four (suppressed, 180+ days).
    expect(low.reachable).toEqual({ email: 2, sms: 1, push: 1, paid_social: 2 });
    expect(playbookMarkdown({ rows: [low], currency: 'USD', asOf: new Date('2026-11-01T00:00:00Z'), shop: null, source: 'test' })).toContain('- **Reachable (channel eligibility):** email 2, SMS 1, push 1, paid social 2');
  });

  it('predicts next-year revenue and returning customers with the model on', () => {
    const withModel = [seg('1', { tier: 'vip', ltvCents: 100, predictedClvCents: 12_000, pAlive: 0.5, expectedOrders365: 0.5 }), seg('2', { tier: 'vip', ltvCents: 100, predictedClvCents: 3_000, pAlive: 1, expectedOrders365: 0 })];
    const vip = buildPlaybook({ segments: withModel, config, live: null }).find((r) => r.key === 'vip')!;
    expect(vip.predictedRevenueNextYearCents).toBe(15_000);
    // 0.5 × (1 − e^(−0.5 / 0.5)) + 0 = 0.5 × (1 − e^−1) = 0.31606
    expect(vip.expectedReturningCustomers).toBeCloseTo(0.31606, 5);
  });

  it('flags live sizes that differ from the computation, and says "not checked" without them', () => {
    const live = new Map([['vip', { shopifySegment: 2, klaviyoList: 1 }], ['mid_tier', { shopifySegment: 'missing' as const, klaviyoList: 'not checked' as const }]]);
    const checked = buildPlaybook({ segments, config, live });
    const csv = playbookCsv(checked, 'USD').split('\n');
    expect(csv[0]).toBe('segment,customers,share,average_ltv,revenue_share,predicted_revenue_next_year,expected_returning_customers,email_cadence,offer_strategy,tone,reactivation_trigger_days,suppression_rule,channels,platform_setup,live_shopify_segment_size,live_klaviyo_list_size,size_check,reachable_email,reachable_sms,reachable_push,reachable_paid_social');
    expect(csv[2]).toMatch(/^VIP,2,0\.5000,500\.01,0\.9091,,,2–3x\/week,.*,2,1,differs,2,2,2,2$/);
    expect(csv[4]).toMatch(/^Mid-Tier,1,0\.2500,100\.00,.*,missing,not checked,not checked,1,1,1,1$/);
    expect(csv[1]).toMatch(/,not checked,not checked,not checked,0,0,0,0$/);
    const markdown = playbookMarkdown({ rows: checked, currency: 'USD', asOf: new Date('2026-11-01T00:00:00Z'), shop: 'acme', source: 'test' });
    expect(markdown).toContain('| VIP | 2 | 50.0% | 500.01 USD | 90.9% | model off | model off | 2 ✓ / 1 ✗ |');
    expect(markdown).toContain('**Size check:** Shopify segment: 2 (matches); Klaviyo list: 1 (DIFFERS: computed 2)');
    expect(markdown).toContain('**Size check:** not checked (run with Shopify and Klaviyo credentials to compare live sizes)');
  });
});
