import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/order.ts';
import { openStore } from '../../src/store/open-store.ts';
import { ORDERS_CURSOR, ORDERS_HISTORY } from '../../src/sync/pull-orders.ts';
import { startTestSandbox } from '../helpers/sandbox.ts';
import { syncAgainst, tempStorePath } from './sync-helpers.ts';

describe('sync reads the whole order history', () => {
  it('segments dormant customers (last order over 730 days ago) and completes a store filled by the old 730-day pull once', async () => {
    const sandbox = await startTestSandbox({ customers: 300, seed: 12, historyMonths: 48 });
    try {
      const store = tempStorePath();
      const first = await syncAgainst(sandbox, store, { mode: 'plan' });
      expect(first.pull.mode).toBe('bulk');
      const dormant = first.segments.filter((s) => s.daysSinceLast >= 730);
      expect(dormant.length).toBeGreaterThan(90);
      // LTV 0, the lowest tier, cold, suppressed, lapsed low-value: what the suppression list is for.
      for (const s of dormant) {
        expect([s.historicalLtvCents, s.tier, s.recencyBucket, s.suppressed, s.lapsed, s.m]).toEqual([0, 'low_value', 'cold', true, 'low_value', 1]);
      }

      // Make the store look like one the old pull filled: orders older than the 730-day window
      // of its first pull missing, and no record of the whole history.
      const cursor = Date.parse(openCursor(store));
      const db = new Database(store);
      const removed = db.prepare('DELETE FROM orders WHERE processed_at < ?').run(cursor - 730 * DAY_MS).changes;
      db.prepare('DELETE FROM cursors WHERE key = ?').run(ORDERS_HISTORY);
      db.close();
      expect(removed).toBeGreaterThan(100);

      const completed = await syncAgainst(sandbox, store, { mode: 'plan' });
      expect(completed.pull.mode).toBe('incremental');
      expect(completed.pull.historyCompleted).toBe(removed);
      expect(completed.segments.map((s) => [s.customerId, s.tier, s.rfm])).toEqual(first.segments.map((s) => [s.customerId, s.tier, s.rfm]));

      const again = await syncAgainst(sandbox, store, { mode: 'plan' });
      expect(again.pull.historyCompleted).toBeNull();
      expect(again.pull.orders).toBe(0);
    } finally {
      await sandbox.close();
    }
  });
});

function openCursor(path: string): string {
  const store = openStore(path);
  try {
    return store.cursors.getCursor(ORDERS_CURSOR)!;
  } finally {
    store.close();
  }
}
