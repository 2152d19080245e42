import { z } from 'zod';
import type { CursorRepository } from './cursors.ts';

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
 * const history = createListHistoryRepository(createCursorRepository(db));
 * history.setManagedLists(['tiersync: VIP']);
 * history.managedLists(); // ['tiersync: VIP']
 */
export function createListHistoryRepository(cursors: CursorRepository): ListHistoryRepository {
  return {
    managedLists() {
      const text = cursors.getCursor(KEY);
      if (!text) return [];
      try {
        const parsed = namesSchema.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    setManagedLists(names) {
      cursors.setCursor(KEY, JSON.stringify([...new Set(names)].sort()));
    },
  };
}
