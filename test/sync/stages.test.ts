import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { toSegmentColumns } from '../../src/core/segment-columns.ts';
import type { CustomerSegment } from '../../src/core/segment.ts';
import type { KlaviyoClient } from '../../src/klaviyo/client.ts';
import type { PlanOperation, PlanSummary } from '../../src/reconcile/plan.ts';
import type { ShopifyClient } from '../../src/shopify/client.ts';
import { applyChanges } from '../../src/sync/apply-changes.ts';
import { planPass, type PlanSource } from '../../src/sync/plan-changes.ts';
import { silentProgress } from '../../src/sync/progress.ts';
import { tempStore } from '../store/temp-store.ts';

const config = parseConfig({}, 'test');
const now = new Date('2026-11-25T00:00:00Z');

function segment(customerId: string, over: Partial<CustomerSegment> = {}): CustomerSegment {
  return {
    customerId, email: `${customerId}@example.com`, tier: 'vip', ltvCents: 12_345, historicalLtvCents: 12_345, predictedClvCents: null,
    pAlive: null, expectedOrders365: null, topShare: 0.05, orders: 3, ordersLast365: 2, revenueCents: 12_345, aovCents: 4115,
    firstOrderAt: Date.parse('2025-01-01'), lastOrderAt: Date.parse('2026-09-01'), daysSinceLast: 85, tenureDays: 693,
    recencyBucket: 'warm', r: 3, f: 4, m: 5, rfm: '345', rfmSegment: 'loyal', frequencyTrend: 'steady', churnRisk: 40, atRisk: false,
    lapsed: null, suppressed: false, reactivationDue: true, cohort: '2025-01', cohortPercentile: 90, topCategory: 'Shoes', ...over,
  } as CustomerSegment;
}

const observed = (id: string, tags: string[]) => ({ id, email: `${id}@example.com`, tags, rfmGroup: null, predictedSpendTier: null, updatedAt: 0 });

describe('segment columns', () => {
  it('give back every field of every segment, sorted by id, nulls included', () => {
    const segments = [segment('b', { email: null, lapsed: 'high_value', topCategory: null, pAlive: 0.25 }), segment('a')];
    const columns = toSegmentColumns(segments);
    expect(columns.length).toBe(2);
    expect([...columns]).toEqual([segments[1], segments[0]]);
    expect([columns.customerId(0), columns.email(1), columns.tier(1)]).toEqual(['a', null, 'vip']);
  });
});

describe('the plan stage in chunks', () => {
  it('plans the same operations and summary with chunks of 2 customers as with one chunk', () => {
    const { store } = tempStore();
    // c1 has its tags already; gone is in Shopify only (its managed tag comes off); c3 is not in Shopify.
    store.customers.upsertCustomers([observed('c1', ['ltv:vip', 'reactivate', 'rfm:warm']), observed('c2', []), observed('gone', ['ltv:vip'])]);
    const segments = toSegmentColumns([segment('c1'), segment('c2', { tier: 'champion', email: 'shared@example.com' }), segment('c3', { email: 'shared@example.com' })]);
    const source = (chunkCustomers: number): PlanSource => ({
      store, applied: { get: () => undefined, size: 0 }, segments, currency: 'USD', config, now,
      observedLists: { listIds: new Map(), members: new Map([['tiersync: VIP', new Set(['stranger@example.com'])]]), memberIds: new Map(), membersWithoutEmail: 0, readInFull: [] },
      retiredLists: [], outOfKlaviyo: null, profilesMatchingApplied: null, isHeldOut: () => false, leaving: [], chunkCustomers,
    });
    const plan = (chunkCustomers: number) => {
      const pass = planPass(source(chunkCustomers));
      const chunks = [...pass.chunks()];
      return { chunks: chunks.map((c) => [c.customers, c.last]), operations: chunks.flatMap((c) => c.operations), summary: pass.summary() };
    };
    const whole = plan(10);
    const chunked = plan(2);
    expect(whole.chunks).toEqual([[4, true]]);
    expect(chunked.chunks).toEqual([[2, false], [2, true]]);
    const key = (op: PlanOperation) => `${op.kind} ${op.target} ${'list' in op.payload ? op.payload.list : ''}`;
    expect(chunked.operations.map(key).sort()).toEqual(whole.operations.map(key).sort());
    expect(chunked.summary).toEqual(whole.summary);
    expect(whole.summary.counts).toEqual({ tags_add: 1, tags_remove: 1, metafields_set: 2, metafields_delete: 0, profiles_upsert: 2, profiles_unset: 0, list_add: 4, list_remove: 1 });
    // c1, c2, gone and the stranger's membership; c3 shares its email with c2 and is not in Shopify: nothing of its own.
    expect(whole.summary.changedCustomers).toBe(4);
    expect(whole.summary.totalCustomers).toBe(4);
    expect(whole.summary.notices).toEqual({ atTagLimit: [], unknownCustomers: 1, sharedEmails: 1, withoutEmail: 0 });
    // The shared email follows the champion (c2), not c3.
    expect(whole.operations.filter((op) => op.kind === 'profiles_upsert').map((op) => [op.target, op.payload.customerId])).toEqual([
      ['c1@example.com', 'c1'], ['shared@example.com', 'c2'],
    ]);
  });
});

describe('the apply stage', () => {
  const summary = (counts: Partial<PlanSummary['counts']>): PlanSummary => ({
    counts: { tags_add: 0, tags_remove: 0, metafields_set: 0, metafields_delete: 0, profiles_upsert: 0, profiles_unset: 0, list_add: 0, list_remove: 0, ...counts },
    bySegment: {}, tagsAdded: 0, tagsRemoved: 0, drift: { tags: 0, lists: 0, metafields: 0, profiles: 0 }, changedCustomers: 1, totalCustomers: 1, firstSync: true,
    samples: [], listsWithRemovals: [], notices: { atTagLimit: [], unknownCustomers: 0, sharedEmails: 0, withoutEmail: 0 },
  });

  it('creates a missing managed list when a chunk first adds to it, journals, and records what landed', async () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const calls: string[] = [];
    const klaviyo = {
      profileIdsForEmails: async () => new Map(),
      profileIdsForExternalIds: async () => new Map(),
      findOrCreateList: async (name: string) => (calls.push(`create ${name}`), { id: 'L9', name, created: true }),
      upsertProfiles: async (profiles: readonly { email: string }[], options?: { listIds?: readonly string[] }) => {
        calls.push(`import ${profiles.map((p) => p.email).join(',')} into ${options?.listIds?.join(',')}`);
        return [{ jobId: 'J1', first: 0, count: profiles.length }];
      },
      waitForImportJob: async (jobId: string) => ({ jobId, status: 'complete' as const, totalCount: 1, completedCount: 1, failedCount: 0, errors: [] }),
    } as unknown as KlaviyoClient;
    const shopify = {} as ShopifyClient;
    const operations: PlanOperation[] = [
      { kind: 'profiles_upsert', target: 'a@example.com', tier: 'vip', payload: { customerId: 'c1', email: 'a@example.com', properties: { tiersync_tier: 'vip' } } },
      { kind: 'list_add', target: 'a@example.com', tier: 'vip', payload: { list: 'tiersync: VIP', customerId: 'c1', drift: false } },
    ];
    const observedLists = { listIds: new Map([['tiersync: VIP', null]]), members: new Map(), memberIds: new Map(), membersWithoutEmail: 0, readInFull: [] };
    const applied = await applyChanges(
      { store, runId: run.id, shopify, klaviyo, observed: observedLists, profiles: null, applied: { get: () => undefined, size: 0 }, config, progress: silentProgress },
      [{ operations, customers: 1, last: true }],
      summary({ profiles_upsert: 1, list_add: 1 }),
    );
    expect(calls).toEqual(['create tiersync: VIP', 'import a@example.com into L9']);
    expect(applied.listsCreated).toEqual(['tiersync: VIP']);
    expect(applied.confirmed).toBe(2);
    expect(store.journal.counts(run.id).list_add).toEqual({ pending: 0, sent: 0, confirmed: 1, failed: 0 });
    expect(store.applied.getAppliedState('c1')).toEqual({ tags: [], properties: { tiersync_tier: 'vip' }, lists: ['tiersync: VIP'], metafields: {}, email: 'a@example.com' });
  });
});
