import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InternalError, StoreError } from '../errors.ts';

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
  /** The id of a sorted set of property or metafield names, stored once (states and journal payloads refer to it). */
  namesSetId(names: readonly string[]): number;
  /** The names of a set by id; null for an id the store does not hold. */
  namesSet(id: number): readonly string[] | null;
}

/**
 * Last-applied state per customer (docs/DESIGN.md "Reconcile, plan, apply"): one compact JSON
 * array a customer, `[1, tags, lists, property names id, property values, metafield names id,
 * metafield values, email?]`, with lists and tags sorted so equal states are stored
 * identically. Names sets live once in `applied_state_shapes` (see the migration); states
 * written before that (JSON objects) are read as they are.
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
  const shapes = createShapes(db);
  const addNames = db.transaction((names: readonly string[]) => {
    shapes.check();
    return shapes.idOf(names);
  });
  const setAll = db.transaction((states: readonly [string, AppliedState][], at: number) => {
    shapes.check();
    for (const [customerId, state] of states) upsert.run(customerId, encode(state, shapes), at);
  });

  return {
    getAppliedState(customerId) {
      const json = get.get(customerId) as string | undefined;
      return json === undefined ? null : decode(json, shapes, customerId);
    },
    setAppliedStates(entries) {
      const states = entries.map(({ customerId, state }, index): [string, AppliedState] => {
        const result = appliedStateSchema.safeParse(state);
        if (!result.success || customerId.length === 0) {
          const reason = result.success ? 'empty customer id' : z.prettifyError(result.error);
          throw new InternalError(`order store: applied state ${index} (${customerId}) is invalid: ${reason}`);
        }
        return [customerId, result.data];
      });
      setAll(states, now());
    },
    countAppliedStates() {
      return count.get() as number;
    },
    *iterateCustomerIds() {
      yield* ids.iterate() as Iterable<string>;
    },
    *iterateAppliedStates() {
      for (const [customerId, json] of all.iterate() as Iterable<[string, string]>) {
        yield { customerId, state: decode(json, shapes, customerId) };
      }
    },
    namesSetId: (names) => addNames(names),
    namesSet: (id) => shapes.namesOf(id) ?? null,
  };
}

type Shapes = ReturnType<typeof createShapes>;

/**
 * The names sets, cached both ways. A set is added inside the transaction of the first state
 * that uses it; sets are never deleted, so fewer rows than cached at the start of a write means
 * an earlier one rolled back, and the cache is read again.
 */
function createShapes(db: Database.Database) {
  const all = db.prepare('SELECT id, keys FROM applied_state_shapes').raw(true);
  const count = db.prepare('SELECT count(*) FROM applied_state_shapes').pluck(true);
  const insert = db.prepare('INSERT INTO applied_state_shapes (keys) VALUES (?)');
  const byKeys = new Map<string, number>();
  const byId = new Map<number, readonly string[]>();
  const reload = () => {
    byKeys.clear();
    byId.clear();
    for (const [id, keys] of all.iterate() as Iterable<[number, string]>) {
      byKeys.set(keys, id);
      byId.set(id, namesSchema.parse(JSON.parse(keys)));
    }
  };
  reload();
  return {
    path: db.name,
    /** Call at the start of each write transaction. */
    check(): void {
      if ((count.get() as number) !== byKeys.size) reload();
    },
    /** The id of this (sorted) names set, added when new. */
    idOf(names: readonly string[]): number {
      const keys = JSON.stringify(names);
      let id = byKeys.get(keys);
      if (id === undefined) {
        id = Number(insert.run(keys).lastInsertRowid);
        byKeys.set(keys, id);
        byId.set(id, names);
      }
      return id;
    },
    namesOf(id: number): readonly string[] | undefined {
      if (!byId.has(id)) reload();
      return byId.get(id);
    },
  };
}

const namesSchema = z.array(z.string());
const valueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const compactSchema = z.union([
  z.tuple([z.literal(1), z.array(z.string()), z.array(z.string()), z.number().int(), z.array(valueSchema), z.number().int(), z.array(z.string())]),
  z.tuple([z.literal(1), z.array(z.string()), z.array(z.string()), z.number().int(), z.array(valueSchema), z.number().int(), z.array(z.string()), z.string()]),
]);

function encode(state: AppliedState, shapes: Shapes): string {
  const properties = Object.entries(state.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const metafields = Object.entries(state.metafields ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const compact: unknown[] = [
    1,
    [...state.tags].sort(),
    [...state.lists].sort(),
    shapes.idOf(properties.map(([key]) => key)),
    properties.map(([, value]) => value),
    shapes.idOf(metafields.map(([key]) => key)),
    metafields.map(([, value]) => value),
  ];
  if (state.email !== undefined) compact.push(state.email);
  return JSON.stringify(compact);
}

function decode(json: string, shapes: Shapes, customerId: string) {
  const value = JSON.parse(json) as unknown;
  if (!Array.isArray(value)) return appliedStateSchema.parse(value);
  const parsed = compactSchema.safeParse(value);
  if (!parsed.success) throw new StoreError(shapes.path, `applied state of ${customerId} is damaged: ${z.prettifyError(parsed.error)}`);
  const [, tags, lists, propertyShape, propertyValues, metafieldShape, metafieldValues, email] = parsed.data;
  const zip = <T>(shape: number, values: readonly T[]): Record<string, T> => {
    const names = shapes.namesOf(shape);
    if (!names || names.length !== values.length) throw new StoreError(shapes.path, `applied state of ${customerId} names a set of names (${shape}) the store does not hold`);
    return Object.fromEntries(names.map((name, index) => [name, values[index]!]));
  };
  return { tags, lists, properties: zip(propertyShape, propertyValues), metafields: zip(metafieldShape, metafieldValues), ...(email === undefined ? {} : { email }) };
}
