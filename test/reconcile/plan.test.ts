import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import { desiredCustomer } from '../../src/reconcile/desired.ts';
import type { AppliedState } from '../../src/core/applied-state.ts';
import { decideGuard } from '../../src/reconcile/guard.ts';
import { buildPlan, type ObservedState } from '../../src/reconcile/plan.ts';

const config = parseConfig({}, 'test');
const noExemptions = { force: false, resumingApprovedRun: false };
const asOf = new Date('2026-11-25T00:00:00Z');

function segment(customerId: string, over: Partial<CustomerSegment> = {}): CustomerSegment {
  return {
    customerId, email: `${customerId}@example.com`, tier: 'vip', ltvCents: 12_345, historicalLtvCents: 12_345, predictedClvCents: null,
    pAlive: null, expectedOrders365: null, topShare: 0.05, orders: 3, ordersLast365: 2, revenueCents: 12_345, aovCents: 4115,
    firstOrderAt: Date.parse('2025-01-01'), lastOrderAt: Date.parse('2026-09-01'), daysSinceLast: 85, tenureDays: 693,
    recencyBucket: 'warm', r: 3, f: 4, m: 5, rfm: '345', churnRisk: 40, atRisk: false, lapsed: null, suppressed: false,
    reactivationDue: true, cohort: '2025-01', cohortPercentile: 90, topCategory: 'Shoes', rfmSegment: 'Loyal', frequencyTrend: 'stable', ...over,
  };
}

const observedOf = (customers: Record<string, string[]>, lists: Record<string, string[]> | null = {}): ObservedState => ({
  customers: new Map(Object.entries(customers).map(([id, tags]) => [id, { tags }])),
  listMembers: lists && new Map(Object.entries(lists).map(([name, emails]) => [name, new Set(emails)])),
});

describe('desired state', () => {
  it('maps a segment to tags, metafields, prefixed properties and lists', () => {
    const d = desiredCustomer(segment('c1', { email: 'Mixed@Example.com' }), config, 'USD');
    expect(d.tags).toEqual(['ltv:vip', 'reactivate', 'rfm:warm']);
    expect(d.lists).toEqual(['tiersync: Reactivate', 'tiersync: VIP']);
    expect(d.email).toBe('mixed@example.com');
    expect(d.properties).toMatchObject({ tiersync_tier: 'vip', tiersync_ltv: 123.45, tiersync_aov: 41.15, tiersync_percentile: 95, tiersync_rfm: '345', tiersync_last_order_date: '2026-09-01', tiersync_lapsed: null });
    expect(d.metafields).toEqual({
      tier: { type: 'single_line_text_field', value: 'vip' }, ltv: { type: 'number_decimal', value: '123.45' },
      churn_risk: { type: 'number_integer', value: '40' }, rfm: { type: 'single_line_text_field', value: '345' },
      rfm_segment: { type: 'single_line_text_field', value: 'Loyal' }, frequency_trend: { type: 'single_line_text_field', value: 'stable' },
    });
  });

  it('adds every overlay tag and list that applies', () => {
    const d = desiredCustomer(segment('c1', { tier: 'low_value', recencyBucket: 'cold', lapsed: 'low_value', suppressed: true, reactivationDue: false }), config, 'USD');
    expect(d.tags).toEqual(['lapsed:low-value', 'ltv:low-value', 'rfm:cold', 'suppressed']);
    // Low value, last order 85 days ago: out of SMS and push as well.
    expect(d.lists).toEqual(['tiersync: Lapsed Low-Value', 'tiersync: Low-Value', 'tiersync: Suppress Push', 'tiersync: Suppress SMS', 'tiersync: Suppressed']);
  });

  it('writes channel eligibility, the named RFM segment and the frequency trend as properties', () => {
    const d = desiredCustomer(segment('c1', { tier: 'low_value', daysSinceLast: 200, suppressed: true, rfmSegment: 'Hibernating', frequencyTrend: 'declining' }), config, 'USD');
    expect(d.properties).toMatchObject({
      tiersync_email_ok: false, tiersync_sms_ok: false, tiersync_push_ok: false, tiersync_paid_social_ok: false,
      tiersync_rfm_segment: 'Hibernating', tiersync_frequency_trend: 'declining', tiersync_holdout: false,
    });
    expect(d.lists).toEqual(['tiersync: Low-Value', 'tiersync: Reactivate', 'tiersync: Suppress Paid Social', 'tiersync: Suppress Push', 'tiersync: Suppress SMS', 'tiersync: Suppressed']);
  });

  it('keeps a held-out customer out of the tier and action lists, with every tag and property kept', () => {
    const over = { atRisk: true, lapsed: 'high_value' as const, reactivationDue: true };
    const treated = desiredCustomer(segment('c1', over), config, 'USD');
    const held = desiredCustomer(segment('c1', over), config, 'USD', true);
    expect(treated.lists).toEqual(['tiersync: At Risk', 'tiersync: Lapsed High-Value', 'tiersync: Reactivate', 'tiersync: VIP']);
    expect(held.lists).toEqual(['tiersync: Holdout']);
    expect(held.tags).toEqual(['churn:at-risk', 'lapsed:high-value', 'ltv:vip', 'reactivate', 'rfm:warm', 'tiersync:holdout']);
    expect(held.properties).toEqual({ ...treated.properties, tiersync_holdout: true });
    expect(held.metafields).toEqual(treated.metafields);
  });
});

describe('plan', () => {
  const desired = [desiredCustomer(segment('c1'), config, 'USD'), desiredCustomer(segment('c2', { email: null }), config, 'USD')];

  it('on a first sync adds everything and leaves the merchant\'s own tags alone', () => {
    const plan = buildPlan({ desired, observed: observedOf({ c1: ['wholesale'], c2: [] }), applied: new Map(), config, now: asOf });
    expect(plan.firstSync).toBe(true);
    expect(plan.counts).toEqual({ tags_add: 2, tags_remove: 0, metafields_set: 2, metafields_delete: 0, profiles_upsert: 1, profiles_unset: 0, list_add: 2, list_remove: 0 });
    expect(plan.tagsAdded).toBe(6);
    const upsert = plan.operations.find((o) => o.kind === 'profiles_upsert')!;
    expect(upsert.payload).toMatchObject({ customerId: 'c1', email: 'c1@example.com', properties: { tiersync_tier: 'vip', tiersync_updated_at: '2026-11-25T00:00:00.000Z' } });
    expect(plan.notices.withoutEmail).toBe(1);
    expect(plan.operations.map((o) => o.kind)).toEqual(['tags_add', 'tags_add', 'metafields_set', 'metafields_set', 'profiles_upsert', 'list_add', 'list_add']);
  });

  it('plans nothing when observed and applied already match', () => {
    const [c1] = desired;
    const applied = new Map<string, AppliedState>([
      ['c1', { tags: c1!.tags, metafields: Object.fromEntries(Object.entries(c1!.metafields).map(([k, v]) => [k, v.value])), properties: c1!.properties, lists: c1!.lists }],
    ]);
    const observed = observedOf({ c1: ['wholesale', ...c1!.tags] }, { 'tiersync: VIP': ['c1@example.com'], 'tiersync: Reactivate': ['c1@example.com'] });
    const plan = buildPlan({ desired: [c1!], observed, applied, config, now: asOf });
    expect(plan.operations).toEqual([]);
    expect(plan.changedCustomers).toBe(0);
    expect(plan.firstSync).toBe(false);
  });

  it('moves a customer between tiers: removes the old tag, adds the new, upserts only changed properties', () => {
    const before = desiredCustomer(segment('c1', { tier: 'mid_tier' }), config, 'USD');
    const now = desiredCustomer(segment('c1'), config, 'USD');
    const applied = new Map<string, AppliedState>([['c1', { tags: before.tags, properties: before.properties, lists: before.lists }]]);
    const observed = observedOf({ c1: ['LTV:Mid-Tier', 'rfm:warm', 'reactivate', 'vip-manual'] }, { 'tiersync: Mid-Tier': ['c1@example.com'], 'tiersync: Reactivate': ['c1@example.com'] });
    const plan = buildPlan({ desired: [now], observed, applied, config, now: asOf });
    const byKind = Object.fromEntries(plan.operations.map((o) => [o.kind === 'list_add' || o.kind === 'list_remove' ? `${o.kind}:${o.payload.list}` : o.kind, o.payload]));
    expect(byKind.tags_remove).toEqual({ tags: ['LTV:Mid-Tier'], drift: [] });
    expect(byKind.tags_add).toEqual({ tags: ['ltv:vip'], drift: [] });
    expect(byKind.profiles_upsert).toEqual({ customerId: 'c1', email: 'c1@example.com', properties: { tiersync_tier: 'vip', tiersync_updated_at: '2026-11-25T00:00:00.000Z' } });
    expect(byKind['list_add:tiersync: VIP']).toEqual({ list: 'tiersync: VIP', customerId: 'c1', drift: false });
    expect(byKind['list_remove:tiersync: Mid-Tier']).toEqual({ list: 'tiersync: Mid-Tier', customerId: 'c1', drift: false });
    expect(plan.drift).toEqual({ tags: 0, lists: 0, metafields: 0, profiles: 0 });
  });

  it('reports drift: a managed tag or member removed or added by hand is put back', () => {
    const c1 = desired[0]!;
    const applied = new Map<string, AppliedState>([['c1', { tags: c1.tags, properties: c1.properties, lists: c1.lists }]]);
    const observed = observedOf(
      { c1: ['ltv:vip', 'rfm:warm', 'suppressed'] },
      { 'tiersync: VIP': ['c1@example.com', 'stranger@example.com'], 'tiersync: Reactivate': [] },
    );
    const plan = buildPlan({ desired: [c1], observed, applied, config, now: asOf });
    const ops = plan.operations.map((o) => [o.kind, o.target, 'drift' in o.payload ? o.payload.drift : null]);
    expect(ops).toEqual([
      ['tags_add', 'c1', ['reactivate']],
      ['tags_remove', 'c1', ['suppressed']],
      ['metafields_set', 'c1', null],
      ['list_add', 'c1@example.com', true],
      ['list_remove', 'stranger@example.com', true],
    ]);
    expect(plan.drift).toEqual({ tags: 2, lists: 2, metafields: 0, profiles: 0 });
  });

  it('a metafield missing or changed live is drift and is set again, only that key', () => {
    const c1 = desired[0]!;
    const metafields = Object.fromEntries(Object.entries(c1.metafields).map(([key, field]) => [key, field.value]));
    const applied = new Map<string, AppliedState>([['c1', { tags: c1.tags, metafields, properties: c1.properties, lists: c1.lists }]]);
    const live = { ...metafields, tier: 'champion' } as Record<string, string>;
    delete live.rfm;
    const observed: ObservedState = {
      customers: new Map([['c1', { tags: c1.tags, metafields: live }]]),
      listMembers: new Map([['tiersync: VIP', new Set(['c1@example.com'])], ['tiersync: Reactivate', new Set(['c1@example.com'])]]),
    };
    const plan = buildPlan({ desired: [c1], observed, applied, config, now: asOf });
    expect(plan.operations.map((o) => [o.kind, o.kind === 'metafields_set' ? o.payload.metafields.map((m) => `${m.key}=${m.value}`) : null])).toEqual([
      ['metafields_set', ['tier=vip', 'rfm=345']],
    ]);
    expect(plan.drift).toEqual({ tags: 0, lists: 0, metafields: 2, profiles: 0 });
  });

  it('a profile whose tiersync properties were not found as applied in a full read gets all of them again', () => {
    const c1 = desired[0]!;
    const applied = new Map<string, AppliedState>([['c1', { tags: c1.tags, properties: c1.properties, lists: c1.lists }]]);
    const lists = { 'tiersync: VIP': ['c1@example.com'], 'tiersync: Reactivate': ['c1@example.com'] };
    const trusted = buildPlan({ desired: [c1], observed: { ...observedOf({ c1: c1.tags }, lists), profilesMatchingApplied: null }, applied, config, now: asOf });
    expect(trusted.counts.profiles_upsert).toBe(0);
    const matching = buildPlan({ desired: [c1], observed: { ...observedOf({ c1: c1.tags }, lists), profilesMatchingApplied: new Set(['c1@example.com']) }, applied, config, now: asOf });
    expect(matching.counts.profiles_upsert).toBe(0);
    const lost = buildPlan({ desired: [c1], observed: { ...observedOf({ c1: c1.tags }, lists), profilesMatchingApplied: new Set() }, applied, config, now: asOf });
    const upsert = lost.operations.find((o) => o.kind === 'profiles_upsert');
    expect(upsert?.kind === 'profiles_upsert' && Object.keys(upsert.payload.properties).length).toBe(Object.keys(c1.properties).length + 1);
    expect(lost.drift.profiles).toBe(1);
  });

  it('removes managed tags from customers no longer segmented and skips unknown customers', () => {
    const plan = buildPlan({ desired, observed: observedOf({ gone: ['ltv:vip', 'own'] }), applied: new Map(), config, now: asOf });
    expect(plan.operations.filter((o) => o.kind === 'tags_remove')).toEqual([{ kind: 'tags_remove', target: 'gone', tier: 'none', payload: { tags: ['ltv:vip'], drift: [] } }]);
    expect(plan.notices.unknownCustomers).toBe(2);
  });

  it('takes off a tag tiersync applied before but the config no longer names (a renamed tag)', () => {
    const renamed = parseConfig({ tiers: config.tiers.map((t) => (t.id === 'vip' ? { ...t, tag: 'tier:vip' } : t)) }, 'renamed');
    const d = desiredCustomer(segment('c1'), renamed, 'USD');
    const applied = new Map<string, AppliedState>([['c1', { tags: ['ltv:vip', 'reactivate', 'rfm:warm'], properties: d.properties, lists: [] }]]);
    const plan = buildPlan({ desired: [d], observed: observedOf({ c1: ['ltv:vip', 'reactivate', 'rfm:warm', 'own'] }, null), applied, config: renamed, now: asOf });
    expect(plan.operations.filter((op) => op.kind === 'tags_add' || op.kind === 'tags_remove').map((op) => [op.kind, op.payload])).toEqual([
      ['tags_add', { tags: ['tier:vip'], drift: [] }],
      ['tags_remove', { tags: ['ltv:vip'], drift: [] }],
    ]);
  });

  it('leaves Klaviyo out of the plan when Klaviyo is not configured', () => {
    const plan = buildPlan({ desired, observed: observedOf({ c1: [], c2: [] }, null), applied: new Map(), config, now: asOf });
    expect(plan.counts).toEqual({ tags_add: 2, tags_remove: 0, metafields_set: 2, metafields_delete: 0, profiles_upsert: 0, profiles_unset: 0, list_add: 0, list_remove: 0 });
  });

  it('never goes past 250 tags and reports the customer', () => {
    const full = Array.from({ length: 249 }, (_, i) => `own-${i}`);
    const plan = buildPlan({ desired: [desired[0]!], observed: observedOf({ c1: full }, null), applied: new Map(), config, now: asOf });
    expect(plan.operations.find((o) => o.kind === 'tags_add')!.payload).toEqual({ tags: ['ltv:vip'], drift: [] });
    expect(plan.notices.atTagLimit).toEqual(['c1']);
  });

  it('gives a shared email one profile, from the best-ranked customer', () => {
    const shared = [desiredCustomer(segment('b', { tier: 'mid_tier', email: 'same@x.com' }), config, 'USD'), desiredCustomer(segment('a', { tier: 'champion', email: 'SAME@x.com' }), config, 'USD')];
    const plan = buildPlan({ desired: shared, observed: observedOf({}, {}), applied: new Map(), config, now: asOf });
    const upserts = plan.operations.filter((o) => o.kind === 'profiles_upsert');
    expect(upserts.map((o) => [o.target, o.payload.customerId])).toEqual([['same@x.com', 'a']]);
    expect(plan.notices.sharedEmails).toBe(1);
  });

  it('trips the guard above 30% changed customers, except on a first sync', () => {
    const many = Array.from({ length: 10 }, (_, i) => desiredCustomer(segment(`c${i}`), config, 'USD'));
    const applied = new Map<string, AppliedState>(many.map((d) => [d.customerId, { tags: d.tags, metafields: Object.fromEntries(Object.entries(d.metafields).map(([k, v]) => [k, v.value])), properties: d.properties, lists: [] }]));
    const tagsOk = Object.fromEntries(many.map((d, i) => [d.customerId, i < 3 ? [] : d.tags]));
    const three = buildPlan({ desired: many, observed: observedOf(tagsOk, null), applied, config, now: asOf });
    expect(three.changedCustomers).toBe(3);
    expect(decideGuard(three, config, noExemptions)).toEqual({ tripped: false, reason: 'within_share', changedShare: 0.3 });
    const four = buildPlan({ desired: many, observed: observedOf({ ...tagsOk, c3: [] }, null), applied, config, now: asOf });
    expect(four.changedCustomers).toBe(4);
    expect(decideGuard(four, config, noExemptions)).toEqual({ tripped: true, reason: 'exceeds_share', changedShare: 0.4 });
    expect(decideGuard(four, config, { force: true, resumingApprovedRun: false }).reason).toBe('forced');
    expect(decideGuard(four, config, { force: false, resumingApprovedRun: true }).reason).toBe('resuming_approved_run');
    const first = buildPlan({ desired: many, observed: observedOf(Object.fromEntries(many.map((d) => [d.customerId, []])), null), applied: new Map(), config, now: asOf });
    expect(decideGuard(first, config, noExemptions)).toEqual({ tripped: false, reason: 'first_sync', changedShare: 1 });
  });
});

describe('a customer who leaves the segmented population', () => {
  it('loses tiersync\'s tags, metafields, profile properties and list memberships, and nothing of the merchant\'s', () => {
    const stay = desiredCustomer(segment('c1'), config, 'USD');
    const last: AppliedState = {
      tags: ['ltv:vip', 'rfm:warm'],
      metafields: { tier: 'vip', ltv: '123.45' },
      properties: { tiersync_tier: 'vip', tiersync_ltv: 123.45 },
      lists: ['tiersync: VIP'],
    };
    const applied = new Map<string, AppliedState>([['c9', last]]);
    const observed: ObservedState = {
      customers: new Map([
        ['c1', { tags: stay.tags, metafields: Object.fromEntries(Object.entries(stay.metafields).map(([key, field]) => [key, field.value])) }],
        ['c9', { tags: ['ltv:vip', 'rfm:warm', 'wholesale'], metafields: { tier: 'vip', ltv: '123.45' } }],
      ]),
      listMembers: new Map([['tiersync: VIP', new Set(['c9@example.com'])], ['tiersync: Reactivate', new Set<string>()]]),
    };
    const plan = buildPlan({
      desired: [stay], observed, applied, config, now: asOf,
      leaving: [{ customerId: 'c9', email: 'c9@example.com', last }],
    });
    const ofC9 = plan.operations.filter((op) => op.target === 'c9' || op.target === 'c9@example.com');
    expect(ofC9).toEqual([
      { kind: 'tags_remove', target: 'c9', tier: 'none', payload: { tags: ['ltv:vip', 'rfm:warm'], drift: [] } },
      { kind: 'metafields_delete', target: 'c9', tier: 'none', payload: { keys: ['ltv', 'tier'] } },
      { kind: 'profiles_unset', target: 'c9@example.com', tier: 'none', payload: { customerId: 'c9', email: 'c9@example.com', keys: ['tiersync_ltv', 'tiersync_tier'] } },
      { kind: 'list_remove', target: 'c9@example.com', tier: 'none', payload: { list: 'tiersync: VIP', customerId: 'c9', drift: false } },
    ]);
    expect(plan.drift.lists).toBe(0);
  });

  it('leaves a shared email\'s profile to the customer still segmented, and a deleted customer\'s Shopify side alone', () => {
    const stay = desiredCustomer(segment('c1'), config, 'USD');
    const last: AppliedState = { tags: ['ltv:vip'], metafields: { tier: 'vip' }, properties: { tiersync_tier: 'vip' }, lists: ['tiersync: VIP'] };
    const plan = buildPlan({
      desired: [stay], observed: observedOf({ c1: [] }, { 'tiersync: VIP': [] }), applied: new Map([['c9', last]]), config, now: asOf,
      leaving: [{ customerId: 'c9', email: 'c1@example.com', last }],
    });
    expect(plan.operations.filter((op) => op.kind === 'metafields_delete' || op.kind === 'profiles_unset' || op.target === 'c9')).toEqual([]);
  });
});
