import type { Config } from '../config/schema.ts';
import { createLiftAccumulator, type LiftSegment } from '../core/lift.ts';
import { NEW_TIER } from '../core/segment.ts';
import type { Store } from '../store/open-store.ts';

/** What `tiersync lift --json` prints (issue 15's shape). */
export interface LiftReadout {
  /** ISO time orders are counted from (a customer's own window starts at their assignment, if later). */
  readonly since: string;
  readonly segments: LiftSegment[];
}

/**
 * Treated against held-out customers per segment at assignment, from the orders in the store
 * since each customer's assignment (and `since`, when given): one streamed pass over the
 * assignments. Null when nobody has been assigned yet.
 *
 * @example
 * readLift(store, config)?.segments[0].ci95; // [597, 6203]
 */
export function readLift(store: Store, config: Config, since?: Date): LiftReadout | null {
  const first = store.holdouts.firstAssignedAt();
  if (first === null) return null;
  const from = since ? since.getTime() : first;
  const lift = createLiftAccumulator();
  for (const outcome of store.holdouts.iterateOutcomes(from)) lift.add(outcome.segment, outcome.heldOut, outcome.orders, outcome.revenueCents);
  const order = [...config.tiers.map((tier) => tier.id), NEW_TIER];
  return { since: new Date(from).toISOString(), segments: lift.finish(order, config.holdout.lift_min_customers) };
}
