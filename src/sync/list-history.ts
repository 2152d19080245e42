import type { Config } from '../config/schema.ts';
import { managedListNames } from '../reconcile/managed.ts';
import type { ListHistoryRepository } from '../store/list-history.ts';

/**
 * Klaviyo lists tiersync managed under names the config no longer has, from the store's
 * record of every list name it has managed.
 *
 * @example
 * const retired = retiredLists(store.listHistory, config); // ['tiersync: Gold'] after renaming it
 */
export function retiredLists(history: ListHistoryRepository, config: Config): string[] {
  const configured = new Set(managedListNames(config));
  return history.managedLists().filter((name) => !configured.has(name));
}

/**
 * Records the lists to keep watching: the configured ones, and retired ones this run still
 * had to empty (or all retired ones when some write failed), so that a retired list is read
 * until tiersync's members are out of it, then forgotten.
 */
export function recordManagedLists(history: ListHistoryRepository, config: Config, listsWithRemovals: readonly string[], failed: number): void {
  const stillEmptying = new Set(listsWithRemovals);
  const keep = retiredLists(history, config).filter((name) => failed > 0 || stillEmptying.has(name));
  history.setManagedLists([...managedListNames(config), ...keep]);
}
