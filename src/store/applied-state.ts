import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InternalError } from '../errors.ts';

import type { AppliedState } from '../core/applied-state.ts';

export type { AppliedState } from '../core/applied-state.ts';

const appliedStateSchema = z.object({
  tags: z.array(z.string()),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  lists: z.array(z.string()),
  // Absent in states written before metafields were recorded.
  metafields: z.record(z.string(), z.string()).default({}),
  // Absent in states written before it was recorded, and for customers without a profile.
  email: z.string().optional(),
});

export interface AppliedStateRepository {
  /** The customer's state; `metafields` is always present ({} for states written before they were recorded). */
  getAppliedState(customerId: string): (AppliedState & { readonly metafields: Readonly<Record<string, string>> }) | null;
  /** Replaces the state of each customer given, in one transaction. */
  setAppliedStates(entries: readonly { customerId: string; state: AppliedState }[]): void;
  countAppliedStates(): number;
  /** Every customer id with a state, in id order (cheaper than the states when only ids matter). */
  iterateCustomerIds(): Generator<string>;
  /** Every customer's state, by customer id. Do not write to the store while iterating. */
  iterateAppliedStates(): Generator<{ customerId: string; state: AppliedState }>;
}

/**
 * Last-applied state per customer (docs/DESIGN.md "Reconcile, plan, apply"): one compact JSON
 * value a customer, with lists and tags sorted so equal states are stored identically.
 *
 * @example
 * const applied = createAppliedStateRepository(db, Date.now);
 * applied.setAppliedStates([{ customerId: '7100000001',
 *   state: { tags: ['ltv:vip'], properties: { tiersync_tier: 'vip' }, lists: ['L1'] } }]);
 */
export function createAppliedStateRepository(db: Database.Database, now: () => number): AppliedStateRepository {
  const get = db.prepare('SELECT state FROM applied_state WHERE customer_id = ?').pluck(true);
  const all = db.prepare('SELECT customer_id, state FROM applied_state ORDER BY customer_id').raw(true);
  const count = db.prepare('SELECT count(*) FROM applied_state').pluck(true);
  const ids = db.prepare('SELECT customer_id FROM applied_state ORDER BY customer_id').pluck(true);
  const upsert = db.prepare(`
    INSERT INTO applied_state (customer_id, state, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (customer_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);
  const setAll = db.transaction((rows: readonly [string, string][], at: number) => {
    for (const [customerId, json] of rows) upsert.run(customerId, json, at);
  });

  return {
    getAppliedState(customerId) {
      const json = get.get(customerId) as string | undefined;
      return json === undefined ? null : decode(json);
    },
    setAppliedStates(entries) {
      const rows = entries.map(({ customerId, state }, index): [string, string] => {
        const result = appliedStateSchema.safeParse(state);
        if (!result.success || customerId.length === 0) {
          const reason = result.success ? 'empty customer id' : z.prettifyError(result.error);
          throw new InternalError(`order store: applied state ${index} (${customerId}) is invalid: ${reason}`);
        }
        return [customerId, encode(result.data)];
      });
      setAll(rows, now());
    },
    countAppliedStates() {
      return count.get() as number;
    },
    *iterateCustomerIds() {
      yield* ids.iterate() as Iterable<string>;
    },
    *iterateAppliedStates() {
      for (const [customerId, json] of all.iterate() as Iterable<[string, string]>) {
        yield { customerId, state: decode(json) };
      }
    },
  };
}

function encode(state: AppliedState): string {
  const properties = Object.fromEntries(Object.entries(state.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const metafields = Object.fromEntries(Object.entries(state.metafields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const email = state.email === undefined ? {} : { email: state.email };
  return JSON.stringify({ tags: [...state.tags].sort(), properties, lists: [...state.lists].sort(), metafields, ...email });
}

function decode(json: string) {
  return appliedStateSchema.parse(JSON.parse(json));
}
