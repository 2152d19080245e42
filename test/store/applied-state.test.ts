import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AppliedState } from '../../src/store/applied-state.ts';
import { openStore } from '../../src/store/open-store.ts';
import { tempStore } from './temp-store.ts';

describe('order store: last-applied state', () => {
  it('stores what was last applied per customer, sorted, and replaces it', () => {
    const { store } = tempStore();
    const state: AppliedState = {
      tags: ['rfm:active', 'ltv:vip'],
      properties: { tiersync_tier: 'vip', tiersync_ltv: 1234.5, tiersync_suppressed: false, tiersync_cohort: null },
      lists: ['L2', 'L1'],
      metafields: { tier: 'vip', ltv: '1234.50' },
    };
    store.applied.setAppliedStates([{ customerId: '2', state }, { customerId: '1', state: { tags: [], properties: {}, lists: [], metafields: {} } }]);
    expect(store.applied.getAppliedState('2')).toEqual({ ...state, tags: ['ltv:vip', 'rfm:active'], lists: ['L1', 'L2'] });
    store.applied.setAppliedStates([{ customerId: '2', state: { tags: ['ltv:champion'], properties: {}, lists: [], metafields: {} } }]);
    expect(store.applied.getAppliedState('2')?.tags).toEqual(['ltv:champion']);
    expect(store.applied.getAppliedState('3')).toBeNull();
    expect([...store.applied.iterateAppliedStates()].map((e) => e.customerId)).toEqual(['1', '2']);
  });

  it('keeps a state as its values and the id of its names, each names set stored once', () => {
    const { store, path } = tempStore();
    const state: AppliedState = { tags: ['ltv:vip'], properties: { tiersync_tier: 'vip', tiersync_ltv: 12.5 }, lists: ['L1'], metafields: { tier: 'vip' }, email: 'a@example.com' };
    store.applied.setAppliedStates([{ customerId: '1', state }, { customerId: '2', state: { ...state, properties: { tiersync_tier: 'new', tiersync_ltv: 0 } } }]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT customer_id, state FROM applied_state ORDER BY customer_id').all()).toEqual([
      { customer_id: '1', state: '[1,["ltv:vip"],["L1"],1,[12.5,"vip"],2,["vip"],"a@example.com"]' },
      { customer_id: '2', state: '[1,["ltv:vip"],["L1"],1,[0,"new"],2,["vip"],"a@example.com"]' },
    ]);
    expect(db.prepare('SELECT id, keys FROM applied_state_shapes ORDER BY id').all()).toEqual([
      { id: 1, keys: '["tiersync_ltv","tiersync_tier"]' },
      { id: 2, keys: '["tier"]' },
    ]);
    db.close();
    expect(store.applied.getAppliedState('2')).toEqual({ ...state, properties: { tiersync_ltv: 0, tiersync_tier: 'new' } });
  });

  it('never hands out the names set of a transaction that rolled back', () => {
    const { store, path } = tempStore();
    const state: AppliedState = { tags: [], properties: { tiersync_tier: 'vip' }, lists: [], metafields: {} };
    expect(() =>
      store.transaction(() => {
        store.applied.setAppliedStates([{ customerId: '1', state }]);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    store.applied.setAppliedStates([{ customerId: '2', state }]);
    store.close();
    const reopened = openStore(path);
    expect(reopened.applied.getAppliedState('2')).toEqual(state);
    expect(reopened.applied.getAppliedState('1')).toBeNull();
    reopened.close();
  });

  it('reads states stored before metafields were recorded as having none', () => {
    const { store, path } = tempStore();
    const db = new Database(path);
    db.prepare('INSERT INTO applied_state (customer_id, state, updated_at) VALUES (?, ?, 0)').run('9', JSON.stringify({ tags: ['ltv:vip'], properties: {}, lists: [] }));
    db.close();
    expect(store.applied.getAppliedState('9')).toEqual({ tags: ['ltv:vip'], properties: {}, lists: [], metafields: {} });
  });

  it('commits a journal confirmation and the applied state together, or neither', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const [op] = store.journal.recordPending(run.id, [{ kind: 'tags_add', target: '1', payload: { tags: ['ltv:vip'] } }]);
    if (!op) throw new Error('plan returned nothing');
    expect(() =>
      store.transaction(() => {
        store.journal.markConfirmed([op.id]);
        store.applied.setAppliedStates([{ customerId: '1', state: { tags: ['ltv:vip'], properties: { bad: [] as unknown as string }, lists: [], metafields: {} } }]);
      }),
    ).toThrow(/applied state 0 \(1\)/);
    expect(store.journal.pendingOperations(run.id).map((o) => o.status)).toEqual(['pending']);
  });
});
