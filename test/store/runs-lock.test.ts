import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { tempStore } from './temp-store.ts';

function manualClock(start: number) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('order store: runs', () => {
  it('finds the latest unfinished run to resume, running or failed, never a completed one', () => {
    const clock = manualClock(1000);
    const { store } = tempStore({ now: clock.now });
    expect(store.runs.openRun()).toBeNull();
    const first = store.runs.startRun();
    expect(first).toEqual({ id: first.id, startedAt: 1000, finishedAt: null, status: 'running', counts: {} });
    clock.advance(50);
    store.runs.finishRun(first.id, 'completed', { tags_add: 3 });
    expect(store.runs.openRun()).toBeNull();
    expect(store.runs.lastCompletedRun()).toEqual({ ...first, finishedAt: 1050, status: 'completed', counts: { tags_add: 3 } });

    const second = store.runs.startRun();
    store.runs.updateCounts(second.id, { orders: 10 });
    store.runs.finishRun(second.id, 'failed', { orders: 10, list_add: 1 });
    expect(store.runs.openRun()?.id).toBe(second.id);
    store.runs.finishRun(second.id, 'abandoned', {});
    expect(store.runs.openRun()).toBeNull();
  });

  it('reports a crashed run (still running in the file) after reopening', () => {
    const { store, path } = tempStore();
    const run = store.runs.startRun();
    store.close();
    const reopened = openStore(path);
    expect(reopened.runs.openRun()?.id).toBe(run.id);
    reopened.close();
  });

  it('names the run that does not exist', () => {
    const { store } = tempStore();
    expect(() => store.runs.finishRun(42, 'completed', {})).toThrow(/run 42 does not exist/);
  });
});

describe('order store: run lock', () => {
  const shop = 'demo.myshopify.com';
  const me = { pid: 100, host: 'box-a' };
  const other = { pid: 200, host: 'box-b' };

  it('lets one holder in at a time and tells the others who holds it', () => {
    const clock = manualClock(0);
    const { store } = tempStore({ now: clock.now });
    const mine = store.lock.acquireLock(shop, me, 60_000);
    expect(mine).toMatchObject({ acquired: true, lease: { pid: 100, host: 'box-a', expiresAt: 60_000 } });
    clock.advance(59_999);
    expect(store.lock.acquireLock(shop, other, 60_000)).toMatchObject({ acquired: false, heldBy: { pid: 100, host: 'box-a' } });
  });

  it('takes over a lease that expired, and the stale holder can neither renew nor release it', () => {
    const clock = manualClock(0);
    const { store } = tempStore({ now: clock.now });
    const crashed = store.lock.acquireLock(shop, me, 1000);
    if (!crashed.acquired) throw new Error('first acquire failed');
    clock.advance(1000);
    const taken = store.lock.acquireLock(shop, other, 1000);
    expect(taken.acquired).toBe(true);
    expect(store.lock.renewLock(crashed.lease, 1000)).toBeNull();
    expect(store.lock.releaseLock(crashed.lease)).toBe(false);
    expect(store.lock.acquireLock(shop, me, 1000).acquired).toBe(false);
  });

  it('renews a held lease and frees it on release', () => {
    const clock = manualClock(0);
    const { store } = tempStore({ now: clock.now });
    const result = store.lock.acquireLock(shop, me, 1000);
    if (!result.acquired) throw new Error('acquire failed');
    clock.advance(900);
    const renewed = store.lock.renewLock(result.lease, 1000);
    expect(renewed?.expiresAt).toBe(1900);
    clock.advance(500);
    expect(store.lock.acquireLock(shop, other, 1000).acquired).toBe(false);
    expect(store.lock.releaseLock(result.lease)).toBe(true);
    const next = store.lock.acquireLock(shop, other, 1000);
    expect(next.acquired && next.lease.leaseId).toBe(result.lease.leaseId + 1);
  });

  it('is shared between two connections to the same file', () => {
    const { store, path } = tempStore();
    const second = openStore(path);
    expect(store.lock.acquireLock(shop, me, 60_000).acquired).toBe(true);
    expect(second.lock.acquireLock(shop, other, 60_000).acquired).toBe(false);
    second.close();
  });

  it('takes over a live lease at once when its holder is known to be gone', () => {
    const { store } = tempStore();
    const shop = 'demo.myshopify.com';
    expect(store.lock.acquireLock(shop, { pid: 100, host: 'box-a' }, 60_000).acquired).toBe(true);
    const alive = store.lock.acquireLock(shop, { pid: 200, host: 'box-a' }, 60_000, (held) => held.pid !== 100);
    expect(alive).toMatchObject({ acquired: true, lease: { pid: 200, leaseId: 2 } });
    expect(store.lock.acquireLock(shop, { pid: 300, host: 'box-a' }, 60_000, () => true).acquired).toBe(false);
  });
});
