import type Database from 'better-sqlite3';
import { customerIdSql } from './order-keys.ts';
import type { AssignedSoFar } from '../core/holdout.ts';

/** One customer's place in the experiment, fixed when first assigned. */
export interface HoldoutAssignment {
  readonly customerId: string;
  /** Epoch ms of the run that assigned the customer: `lift` counts orders from here. */
  readonly assignedAt: number;
  /** The customer's segment (tier) when assigned: `lift` compares within it. */
  readonly segment: string;
  readonly heldOut: boolean;
}

/** What one assigned customer ordered since assignment. */
export interface HoldoutOutcome {
  readonly segment: string;
  readonly heldOut: boolean;
  readonly orders: number;
  readonly revenueCents: number;
}

export interface HoldoutRepository {
  /** The store's salt, or null before the first holdout run. */
  salt(): string | null;
  /** Keeps `salt` unless one is stored already; returns the one in force. */
  ensureSalt(salt: string): string;
  /** true / false for an assigned customer, null for one never assigned. */
  heldOut(customerId: string): boolean | null;
  /** Customers assigned so far per segment at assignment. */
  cohorts(): Map<string, AssignedSoFar>;
  /** Records new assignments in one transaction; a customer already assigned keeps the first. */
  assign(assignments: Iterable<HoldoutAssignment>): number;
  countAssigned(): number;
  /** The earliest assignment, epoch ms, or null. */
  firstAssignedAt(): number | null;
  /**
   * Every assigned customer with their counted orders (not test, not cancelled) processed at or
   * after both their assignment and `since`, streamed; customers without such orders give 0.
   */
  iterateOutcomes(since: number): Generator<HoldoutOutcome>;
}

/**
 * Holdout assignments: one compact row a customer (id, time, segment, flag; no rowid), read a
 * customer at a time while planning and streamed for `lift`, never all held in memory.
 *
 * @example
 * const holdouts = createHoldoutRepository(db);
 * holdouts.assign([{ customerId: 'gid://shopify/Customer/1', assignedAt: Date.now(), segment: 'vip', heldOut: true }]);
 */
export function createHoldoutRepository(db: Database.Database): HoldoutRepository {
  const getSalt = db.prepare('SELECT salt FROM holdout_salt WHERE id = 1').pluck(true);
  const putSalt = db.prepare('INSERT INTO holdout_salt (id, salt) VALUES (1, ?) ON CONFLICT (id) DO NOTHING');
  const getHeldOut = db.prepare('SELECT held_out FROM holdout_assignments WHERE customer_id = ?').pluck(true);
  const cohorts = db.prepare('SELECT segment, count(*) AS assigned, sum(held_out) AS held_out FROM holdout_assignments GROUP BY segment');
  const insert = db.prepare(
    'INSERT INTO holdout_assignments (customer_id, assigned_at, segment, held_out) VALUES (?, ?, ?, ?) ON CONFLICT (customer_id) DO NOTHING',
  );
  const count = db.prepare('SELECT count(*) FROM holdout_assignments').pluck(true);
  const first = db.prepare('SELECT min(assigned_at) FROM holdout_assignments').pluck(true);
  // The inner query walks the orders once, looking each one's customer up by primary key (by
  // the GID text the orders table keeps as a number).
  const outcomes = db
    .prepare(
      `SELECT a.segment, a.held_out, coalesce(s.orders, 0), coalesce(s.revenue, 0)
       FROM holdout_assignments a
       LEFT JOIN (
         SELECT h.customer_id AS customer_id, count(*) AS orders, sum(o.total_cents) AS revenue
         FROM orders o JOIN holdout_assignments h ON h.customer_id = ${customerIdSql('o.customer_id')}
         WHERE o.test = 0 AND o.cancelled = 0 AND o.processed_at >= max(h.assigned_at, ?)
         GROUP BY h.customer_id
       ) s ON s.customer_id = a.customer_id`,
    )
    .raw(true);
  const insertAll = db.transaction((assignments: Iterable<HoldoutAssignment>) => {
    let inserted = 0;
    for (const a of assignments) inserted += insert.run(a.customerId, a.assignedAt, a.segment, a.heldOut ? 1 : 0).changes;
    return inserted;
  });
  return {
    salt: () => (getSalt.get() as string | undefined) ?? null,
    ensureSalt(salt) {
      putSalt.run(salt);
      return getSalt.get() as string;
    },
    heldOut(customerId) {
      const value = getHeldOut.get(customerId) as number | undefined;
      return value === undefined ? null : value === 1;
    },
    cohorts() {
      const rows = cohorts.all() as { segment: string; assigned: number; held_out: number }[];
      return new Map(rows.map((row) => [row.segment, { assigned: row.assigned, heldOut: row.held_out }]));
    },
    assign: (assignments) => insertAll(assignments),
    countAssigned: () => count.get() as number,
    firstAssignedAt: () => (first.get() as number | null) ?? null,
    *iterateOutcomes(since) {
      for (const [segment, heldOut, orders, revenue] of outcomes.iterate(since) as Iterable<[string, number, number, number]>) {
        yield { segment, heldOut: heldOut === 1, orders, revenueCents: revenue };
      }
    },
  };
}
