import type Database from 'better-sqlite3';

export interface CursorRepository {
  /** The stored value, or null when the key was never set. */
  getCursor(key: string): string | null;
  /** Sets the value (an unchanged value is not rewritten). */
  setCursor(key: string, value: string): void;
}

/**
 * Key/value sync cursors, e.g. the `updatedAt` high-water mark of the last orders pull.
 *
 * @example
 * const cursors = createCursorRepository(db);
 * cursors.setCursor('orders.updatedAt', '2026-07-01T00:00:00Z');
 * cursors.getCursor('orders.updatedAt'); // '2026-07-01T00:00:00Z'
 */
export function createCursorRepository(db: Database.Database): CursorRepository {
  const get = db.prepare('SELECT value FROM cursors WHERE key = ?').pluck(true);
  const set = db.prepare(
    'INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE cursors.value != excluded.value',
  );
  return {
    getCursor(key) {
      return (get.get(key) as string | undefined) ?? null;
    },
    setCursor(key, value) {
      set.run(key, value);
    },
  };
}
