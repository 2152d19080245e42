import { describe, expect, it } from 'vitest';
import type { PlanOperation } from '../../src/reconcile/plan.ts';
import { openApplyJournal, restoreAppliedState } from '../../src/sync/journaled-apply.ts';
import { tempStore } from '../store/temp-store.ts';

const tagsAdd: PlanOperation = { kind: 'tags_add', target: 'c1', tier: 'vip', payload: { tags: ['ltv:vip'], drift: [] } };
const metafields: PlanOperation = { kind: 'metafields_set', target: 'c1', tier: 'vip', payload: { metafields: [{ key: 'tier', type: 'single_line_text_field', value: 'vip' }] } };
const upsert: PlanOperation = {
  kind: 'profiles_upsert', target: 'a@example.com', tier: 'vip', payload: { customerId: 'c2', email: 'a@example.com', properties: { tiersync_tier: 'vip' } },
};
const otherTags: PlanOperation = { kind: 'tags_add', target: 'c2', tier: 'vip', payload: { tags: ['ltv:vip'], drift: [] } };

describe('the apply journal', () => {
  it('writes the applied state of a chunk at its flush, each customer once', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const journal = openApplyJournal(store, run.id);
    journal.record([tagsAdd, metafields, otherTags, upsert]);
    journal.confirm([tagsAdd]);
    journal.confirm([otherTags]);
    journal.confirm([upsert]);
    journal.confirm([metafields]);
    expect(store.applied.getAppliedState('c1')).toBeNull();
    expect(store.applied.getAppliedState('c2')).toBeNull();
    journal.flush();
    expect(store.applied.getAppliedState('c1')).toEqual({ tags: ['ltv:vip'], properties: {}, lists: [], metafields: { tier: 'vip' } });
    expect(store.applied.getAppliedState('c2')).toEqual({ tags: ['ltv:vip'], properties: { tiersync_tier: 'vip' }, lists: [], metafields: {}, email: 'a@example.com' });
    expect(store.journal.counts(run.id).tags_add.confirmed).toBe(2);
  });

  it('journals an upsert and a metafields set as their values and the id of their names', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    openApplyJournal(store, run.id).record([metafields, upsert, tagsAdd]);
    expect(store.journal.pendingOperations(run.id).map((op) => [op.kind, op.target, op.payload])).toEqual([
      ['metafields_set', 'c1', { names: 1, values: ['vip'] }],
      ['profiles_upsert', 'a@example.com', { customerId: 'c2', names: 2, values: ['vip'] }],
      ['tags_add', 'c1', { tags: ['ltv:vip'], drift: [] }],
    ]);
    expect([store.applied.namesSet(1), store.applied.namesSet(2), store.applied.namesSet(3)]).toEqual([['tier'], ['tiersync_tier'], null]);
  });

  it('after a kill before the flush, the next run folds in what the journal confirmed', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const journal = openApplyJournal(store, run.id);
    journal.record([otherTags]);
    journal.confirm([otherTags]);
    journal.flush();
    journal.record([tagsAdd, metafields, upsert]);
    journal.confirm([tagsAdd, metafields, upsert]);
    // killed here: the chunk was never flushed
    expect(store.applied.getAppliedState('c1')).toBeNull();
    restoreAppliedState(store, run.id);
    expect(store.applied.getAppliedState('c1')).toEqual({ tags: ['ltv:vip'], properties: {}, lists: [], metafields: { tier: 'vip' } });
    expect(store.applied.getAppliedState('c2')).toEqual({ tags: ['ltv:vip'], properties: { tiersync_tier: 'vip' }, lists: [], metafields: {}, email: 'a@example.com' });
  });

  it('brings the stored customers to what Shopify confirmed at the flush, in Shopify\'s tag order, so the next read rewrites nothing', () => {
    const { store } = tempStore();
    store.customers.upsertCustomers([
      { id: 'c1', email: 'b@example.com', tags: ['Wholesale', 'ltv:new'], rfmGroup: null, predictedSpendTier: null, updatedAt: 1000, metafields: { tier: 'new', churn_risk: 'low' } },
    ]);
    const run = store.runs.startRun();
    const journal = openApplyJournal(store, run.id);
    const removeNew: PlanOperation = { kind: 'tags_remove', target: 'c1', tier: 'vip', payload: { tags: ['ltv:new'], drift: [] } };
    const dropChurn: PlanOperation = { kind: 'metafields_delete', target: 'c1', tier: 'vip', payload: { keys: ['churn_risk'] } };
    journal.record([removeNew, tagsAdd, metafields, dropChurn]);
    journal.confirm([removeNew, tagsAdd, metafields, dropChurn]);
    expect(store.customers.getCustomer('c1')?.tags).toEqual(['ltv:new', 'Wholesale']);
    journal.flush();
    expect(store.customers.getCustomer('c1')).toEqual({
      id: 'c1', email: 'b@example.com', tags: ['ltv:vip', 'Wholesale'], rfmGroup: null, predictedSpendTier: null, updatedAt: 1000, metafields: { tier: 'vip' },
    });
    // The next read: Shopify has moved updatedAt on (tiersync's writes did); the row stays as it is.
    store.customers.upsertCustomers([
      { id: 'c1', email: 'b@example.com', tags: ['ltv:vip', 'Wholesale'], rfmGroup: null, predictedSpendTier: null, updatedAt: 2000, metafields: { tier: 'vip' } },
    ]);
    expect(store.customers.getCustomer('c1')?.updatedAt).toBe(1000);
  });
});
