import type { Config } from '../config/schema.ts';
import { newHoldoutSalt, selectHoldouts } from '../core/holdout.ts';
import type { CustomerSegment } from '../core/segment.ts';
import type { Store } from '../store/open-store.ts';

/** This run's holdout: who is held out, and the new assignments to record once applied. */
export interface RunHoldouts {
  isHeldOut(customerId: string): boolean;
  readonly heldOut: number;
  /** Customers segmented for the first time this run (assigned on `commit`). */
  readonly newlyAssigned: number;
  /** Records the new assignments at `assignedAt` (a sync, after its apply); returns how many. */
  commit(assignedAt: number): number;
}

const HOLDOUTS_OFF: RunHoldouts = { isHeldOut: () => false, heldOut: 0, newlyAssigned: 0, commit: () => 0 };

/**
 * Holdouts for this run (docs/DESIGN.md "Activation"): a customer assigned before keeps their
 * group; customers new to the experiment are chosen per segment by the store's salted hash
 * (core/holdout.ts), the salt drawn from the injected random source on first use. Only the
 * held-out ids are kept in memory (about `holdout.share` of the customers); assignments are
 * read one customer at a time. `holdout.share` 0 holds nobody out and assigns nobody.
 */
export function planRunHoldouts(store: Store, segments: Iterable<Pick<CustomerSegment, 'customerId' | 'tier'>>, config: Config, random: () => number): RunHoldouts {
  const share = config.holdout.share;
  if (share === 0) return HOLDOUTS_OFF;
  const salt = store.holdouts.salt() ?? store.holdouts.ensureSalt(newHoldoutSalt(random));
  const held = new Set<string>();
  const pending = new Map<string, string[]>();
  for (const segment of segments) {
    const assigned = store.holdouts.heldOut(segment.customerId);
    if (assigned === true) held.add(segment.customerId);
    if (assigned !== null) continue;
    const ids = pending.get(segment.tier);
    if (ids) ids.push(segment.customerId);
    else pending.set(segment.tier, [segment.customerId]);
  }
  const cohorts = store.holdouts.cohorts();
  let newlyAssigned = 0;
  for (const [tier, ids] of pending) {
    newlyAssigned += ids.length;
    for (const id of selectHoldouts(ids, salt, share, cohorts.get(tier) ?? { assigned: 0, heldOut: 0 })) held.add(id);
  }
  return {
    isHeldOut: (customerId) => held.has(customerId),
    heldOut: held.size,
    newlyAssigned,
    commit(assignedAt) {
      const rows = function* () {
        for (const [segment, ids] of pending) {
          for (const customerId of ids) yield { customerId, assignedAt, segment, heldOut: held.has(customerId) };
        }
      };
      return store.holdouts.assign(rows());
    },
  };
}
