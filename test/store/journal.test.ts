import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { PlannedOperation } from '../../src/store/journal.ts';
import { tempStore } from './temp-store.ts';

const operations: PlannedOperation[] = [
  { kind: 'tags_add', target: '7100000001', payload: { tags: ['ltv:vip'] } },
  { kind: 'profiles_upsert', target: 'a@example.com', payload: { properties: { tiersync_tier: 'vip' } } },
  { kind: 'list_add', target: 'LIST1', payload: { profileIds: ['P1', 'P2'] } },
];

describe('order store: journal', () => {
  it('records every planned operation as pending before anything is sent', () => {
    const { store } = tempStore({ now: () => 5 });
    const run = store.runs.startRun();
    const planned = store.journal.recordPending(run.id, operations);
    expect(planned.map((op) => op.status)).toEqual(['pending', 'pending', 'pending']);
    expect(store.journal.pendingOperations(run.id)).toEqual(planned);
    expect(planned[2]).toMatchObject({ runId: run.id, kind: 'list_add', target: 'LIST1', payload: { profileIds: ['P1', 'P2'] }, updatedAt: 5 });
  });

  it('resumes with what was not confirmed, after the process died mid-apply', () => {
    const { store, path } = tempStore();
    const run = store.runs.startRun();
    const [tags, profiles, list] = store.journal.recordPending(run.id, operations);
    if (!tags || !profiles || !list) throw new Error('plan returned too few operations');
    store.journal.markSent([tags.id, profiles.id]);
    store.journal.markConfirmed([tags.id]);
    store.journal.markFailed([list.id], 'klaviyo POST /api/lists/LIST1/relationships/profiles: HTTP 500');
    store.close();

    const reopened = openStore(path);
    const resumed = reopened.runs.openRun();
    expect(resumed?.id).toBe(run.id);
    const pending = reopened.journal.pendingOperations(run.id);
    expect(pending.map((op) => [op.id, op.status, op.error])).toEqual([
      [profiles.id, 'sent', null],
      [list.id, 'failed', 'klaviyo POST /api/lists/LIST1/relationships/profiles: HTTP 500'],
    ]);
    reopened.close();
  });

  it('never moves a confirmed operation back, and counts by kind and status', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const [tags, profiles] = store.journal.recordPending(run.id, operations);
    if (!tags || !profiles) throw new Error('plan returned too few operations');
    expect(store.journal.markConfirmed([tags.id])).toBe(1);
    expect(store.journal.markSent([tags.id, profiles.id])).toBe(1);
    expect(store.journal.markFailed([tags.id], 'late')).toBe(0);
    const counts = store.journal.counts(run.id);
    expect(counts.tags_add).toEqual({ pending: 0, sent: 0, confirmed: 1, failed: 0 });
    expect(counts.profiles_upsert).toEqual({ pending: 0, sent: 1, confirmed: 0, failed: 0 });
    expect(counts.list_add).toEqual({ pending: 1, sent: 0, confirmed: 0, failed: 0 });
    expect(counts.list_remove).toEqual({ pending: 0, sent: 0, confirmed: 0, failed: 0 });
  });

  it('keeps runs apart', () => {
    const { store } = tempStore();
    const first = store.runs.startRun();
    const second = store.runs.startRun();
    store.journal.recordPending(first.id, operations);
    expect(store.journal.pendingOperations(second.id)).toEqual([]);
  });

  it('compacts older runs before a run records: their operations go, and ids keep growing', () => {
    const { store } = tempStore();
    const first = store.runs.startRun();
    const recorded = store.journal.recordPending(first.id, operations);
    store.journal.markConfirmed([recorded[0]!.id]);
    const second = store.runs.startRun();
    expect(store.journal.compactBefore(second.id)).toBe(3);
    expect(store.journal.counts(first.id).tags_add).toEqual({ pending: 0, sent: 0, confirmed: 0, failed: 0 });
    const [next] = store.journal.recordPending(second.id, [operations[0]!]);
    expect(next!.id).toBe(4);
    expect(store.journal.compactBefore(second.id)).toBe(0);
    expect(store.journal.pendingOperations(second.id).map((op) => op.id)).toEqual([4]);
  });

  it('compacting after the run recorded deletes only the older runs', () => {
    const { store } = tempStore();
    const first = store.runs.startRun();
    const [old] = store.journal.recordPending(first.id, [operations[0]!]);
    store.journal.markSent([old!.id]);
    const second = store.runs.startRun();
    store.journal.recordPending(second.id, [operations[1]!]);
    expect(store.journal.compactBefore(second.id)).toBe(1);
    expect(store.journal.pendingOperations(first.id)).toEqual([]);
    expect(store.journal.pendingOperations(second.id).map((op) => [op.id, op.kind, op.status])).toEqual([[2, 'profiles_upsert', 'pending']]);
    expect(store.journal.markConfirmed([old!.id])).toBe(0);
  });

  it('upgrading a store carries the unfinished run\'s journal over, ids and statuses kept, and ids go on after the last', () => {
    const { store, path } = tempStore();
    store.close();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    // The store as schema version 6 left it: one journal table.
    const db = new Database(path);
    migrate(db, 6);
    db.exec(`
      INSERT INTO runs (started_at, status, counts) VALUES (1, 'completed', '{}'), (2, 'running', '{}');
      INSERT INTO journal (run_id, kind, target, payload, status, error, updated_at) VALUES
        (1, 'tags_add', 'c0', '{"tags":["ltv:vip"],"drift":[]}', 'confirmed', NULL, 10),
        (2, 'tags_add', 'c1', '{"tags":["ltv:vip"],"drift":[]}', 'confirmed', NULL, 20),
        (2, 'list_add', 'a@example.com', '{"list":"L","customerId":"c1","drift":false}', 'sent', NULL, 21),
        (2, 'tags_add', 'c2', '{"tags":["ltv:vip"],"drift":[]}', 'failed', 'boom', 22),
        (2, 'tags_add', 'c3', '{"tags":["ltv:vip"],"drift":[]}', 'pending', NULL, 23);
    `);
    db.close();
    const upgraded = openStore(path);
    expect(upgraded.journal.counts(1).tags_add).toEqual({ pending: 0, sent: 0, confirmed: 0, failed: 0 });
    expect(upgraded.journal.confirmedAfter(2, 0, 10).map((op) => [op.id, op.kind, op.target])).toEqual([[2, 'tags_add', 'c1']]);
    expect(upgraded.journal.pendingOperations(2).map((op) => [op.id, op.status, op.error, op.updatedAt])).toEqual([
      [3, 'sent', null, 21],
      [4, 'failed', 'boom', 22],
      [5, 'pending', null, 23],
    ]);
    const next = upgraded.runs.startRun();
    expect(upgraded.journal.recordPending(next.id, [operations[0]!]).map((op) => op.id)).toEqual([6]);
    upgraded.close();
  });

  it('rejects an unknown kind, an unknown run and a payload that is not JSON, writing nothing', () => {
    const { store } = tempStore();
    const run = store.runs.startRun();
    const badKind = { kind: 'tags_set', target: 'x', payload: {} } as unknown as PlannedOperation;
    expect(() => store.journal.recordPending(run.id, [operations[0]!, badKind])).toThrow(/operation 1 of run .*kind/s);
    expect(() => store.journal.recordPending(run.id, [{ kind: 'tags_add', target: 'x', payload: { n: 1n } }])).toThrow(/operation 0/);
    expect(() => store.journal.recordPending(999, operations)).toThrow(/run 999 does not exist/);
    expect(store.journal.pendingOperations(run.id)).toEqual([]);
  });
});
