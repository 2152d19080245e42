import type Database from 'better-sqlite3';
import { z } from 'zod';

export interface ListHistoryRepository {
  /** Every Klaviyo list name tiersync still watches, sorted; [] when none was recorded or the record is unreadable. */
  managedLists(): string[];
  setManagedLists(names: readonly string[]): void;
}

// Kept in the key/value table under this key (stores written before this repository have it there).
const KEY = 'klaviyo.managed_lists';
const namesSchema = z.array(z.string());

/**
 * The names of the Klaviyo lists tiersync has managed, so that a list renamed or dropped in
 * the config is still emptied of tiersync's members.
 *
 * @example
 * const history = createListHistoryRepository(db);
 * history.setManagedLists(['tiersync: VIP']);
 * history.managedLists(); // ['tiersync: VIP']
 */
export function createListHistoryRepository(db: Database.Database): ListHistoryRepository {
  const get = db.prepare('SELECT value FROM cursors WHERE key = ?').pluck(true);
  const set = db.prepare('INSERT INTO cursors (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    managedLists() {
      const text = get.get(KEY) as string | undefined;
      if (!text) return [];
      try {
        const parsed = namesSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    setManagedLists(names) {
      const next = JSON.stringify([...new Set(names)].sort());
      if (get.get(KEY) !== next) set.run(KEY, next);
    },
  };
}
