import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import type { Plan } from '../reconcile/plan.ts';
import { managedListNames } from '../reconcile/managed.ts';
import type { Store } from '../store/open-store.ts';

const MANAGED_LISTS = 'klaviyo.managed_lists';

/**
 * Klaviyo lists tiersync managed under names the config no longer has, from the store's
 * record of every list name it has managed (an unreadable record counts as none).
 *
 * @example
 * const retired = retiredLists(store, config); // ['tiersync: Gold'] after renaming it
 */
export function retiredLists(store: Store, config: Config): string[] {
  const configured = new Set(managedListNames(config));
  return recorded(store).filter((name) => !configured.has(name));
}

/**
 * Records the lists to keep watching: the configured ones, and retired ones this run still
 * had to empty (or all retired ones when some write failed), so that a retired list is read
 * until tiersync's members are out of it, then forgotten.
 */
export function recordManagedLists(store: Store, config: Config, plan: Plan, failed: number): void {
  const retired = retiredLists(store, config);
  const stillEmptying = new Set(plan.operations.flatMap((op) => (op.kind === 'list_remove' ? [op.payload.list] : [])));
  const keep = retired.filter((name) => failed > 0 || stillEmptying.has(name));
  store.cursors.setCursor(MANAGED_LISTS, JSON.stringify([...new Set([...managedListNames(config), ...keep])].sort()));
}

function recorded(store: Store): string[] {
  const text = store.cursors.getCursor(MANAGED_LISTS);
  if (!text) return [];
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}
