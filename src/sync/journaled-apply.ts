import { PLAN_KINDS, type PlanKind, type PlanOperation } from '../reconcile/plan.ts';
import type { AppliedState } from '../core/applied-state.ts';
import { z } from 'zod';
import { StoreError } from '../errors.ts';
import type { JournalOperation } from '../store/journal.ts';
import type { Store } from '../store/open-store.ts';
import { canonicalTags, type StoredCustomer } from '../store/customers.ts';

const EMPTY: AppliedState = { tags: [], properties: {}, lists: [], metafields: {} };

/**
 * In the store's cursors: the last journal id whose chunk had its applied state written in full.
 * Operations confirmed after it (a run killed mid-chunk) are folded in by restoreAppliedState.
 */
export const APPLIED_THROUGH_JOURNAL_ID = 'journal.applied_through_id';

/** Confirmed operations read at a time when a resumed run folds them into the applied state. */
const RESTORE_PAGE = 10_000;

/**
 * The journal of one apply (docs/DESIGN.md "Reconcile, plan, apply"): every operation of a chunk is
 * recorded as pending before any of it is sent, marked sent just before its request, and
 * confirmed as it lands. The applied state a chunk produces is written once a customer, when
 * the chunk ends (`flush`): a customer's confirmed changes wait in memory until then (a chunk's
 * worth at most). Every operation is recorded in full in the journal (a profile upsert with its
 * property values), so a run killed mid-chunk loses nothing: restoreAppliedState folds in what
 * it confirmed. Written at the flush, the chunk's states are neighbouring rows in one
 * transaction; written as each Klaviyo import group landed, they were a page write a customer.
 *
 * @example
 * const journal = openApplyJournal(store, runId);
 * journal.record(chunk);
 * journal.sent(ops);
 * journal.confirm(ops);
 * journal.flush();
 */
export function openApplyJournal(store: Store, runId: number) {
  // Weak: a chunk's operations are garbage once it is applied.
  const ids = new WeakMap<PlanOperation, number>();
  const idsOf = (ops: readonly PlanOperation[]) => ops.map((op) => ids.get(op)!);
  const confirmedByKind = Object.fromEntries(PLAN_KINDS.map((kind) => [kind, 0])) as Record<PlanKind, number>;
  let confirmed = 0;
  let failed = 0;
  // The chunk being applied: the states of its customers confirmed so far, the Shopify writes
  // confirmed for each, its last journal id.
  let chunk: { states: Map<string, AppliedState>; shopifyWrites: Map<string, FoldedOperation[]>; lastId: number } | null = null;

  const flush = () => {
    if (!chunk) return;
    const { states, shopifyWrites, lastId } = chunk;
    chunk = null;
    // In id order: each page of the applied state is written once.
    const customerIds = [...states.keys()].sort();
    store.transaction(() => {
      store.applied.setAppliedStates(customerIds.map((customerId) => ({ customerId, state: states.get(customerId)! })));
      recordShopifyWrites(store, shopifyWrites);
      store.cursors.setCursor(APPLIED_THROUGH_JOURNAL_ID, String(lastId));
    });
  };

  return {
    /** Records a chunk's operations as pending, in one transaction, before any of it is sent (after the previous chunk's flush). */
    record(ops: readonly PlanOperation[]): void {
      // Nearly every operation of a kind names the same set: its id is looked up once a record.
      const namesIds = new Map<string, number>();
      const namesId = (names: readonly string[]) => {
        const key = names.join('\n');
        let id = namesIds.get(key);
        if (id === undefined) namesIds.set(key, (id = store.applied.namesSetId(names)));
        return id;
      };
      const recorded = store.journal.recordPending(runId, ops.map((op) => ({ kind: op.kind, target: op.target, payload: journalPayload(op, namesId) })));
      ops.forEach((op, index) => ids.set(op, recorded[index]!.id));
      chunk = { states: new Map(), shopifyWrites: new Map(), lastId: recorded.length ? recorded[recorded.length - 1]!.id : 0 };
    },
    sent(ops: readonly PlanOperation[]): void {
      if (ops.length) store.journal.markSent(idsOf(ops));
    },
    /** Confirms operations; what they changed reaches the applied state at the flush (at once outside a chunk). */
    confirm(ops: readonly PlanOperation[]): void {
      if (!ops.length) return;
      const states = chunk?.states ?? new Map<string, AppliedState>();
      const shopifyWrites = chunk?.shopifyWrites ?? new Map<string, FoldedOperation[]>();
      const changed = new Set<string>();
      for (const op of ops) {
        const customerId = customerOf(op);
        if (!customerId) continue;
        states.set(customerId, applyOperation(states.get(customerId) ?? store.applied.getAppliedState(customerId) ?? EMPTY, op));
        changed.add(customerId);
        if (isShopifyWrite(op)) shopifyWrites.set(customerId, [...(shopifyWrites.get(customerId) ?? []), op]);
      }
      store.transaction(() => {
        store.journal.markConfirmed(idsOf(ops));
        if (chunk) return;
        store.applied.setAppliedStates([...changed].map((customerId) => ({ customerId, state: states.get(customerId)! })));
        recordShopifyWrites(store, shopifyWrites);
      });
      confirmed += ops.length;
      for (const op of ops) confirmedByKind[op.kind]++;
    },
    fail(ops: readonly PlanOperation[], error: string): void {
      if (!ops.length) return;
      store.journal.markFailed(idsOf(ops), error);
      failed += ops.length;
    },
    /** Writes the chunk's applied state not written yet, in one transaction (also after a failure midway). */
    flush,
    counts: () => ({ confirmed, failed, confirmedByKind: { ...confirmedByKind } }),
  };
}

/**
 * After a run killed mid-chunk: folds into the applied state what its operations confirmed after
 * the last full chunk changed, a page at a time. Folding an operation twice changes nothing, so a
 * restore cut short is redone by the next one.
 *
 * @example
 * restoreAppliedState(store, resumed.id);
 */
export function restoreAppliedState(store: Store, runId: number): void {
  let afterId = Number(store.cursors.getCursor(APPLIED_THROUGH_JOURNAL_ID) ?? 0);
  for (;;) {
    const page = store.journal.confirmedAfter(runId, afterId, RESTORE_PAGE);
    const states = new Map<string, AppliedState>();
    for (const row of page) {
      const op = operationFromJournal(store, row);
      if (!op) continue;
      const customerId = customerOf(op);
      if (customerId) states.set(customerId, applyOperation(states.get(customerId) ?? store.applied.getAppliedState(customerId) ?? EMPTY, op));
    }
    if (states.size) store.applied.setAppliedStates([...states].map(([customerId, state]) => ({ customerId, state })));
    if (page.length < RESTORE_PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}

/** What applyOperation reads of an operation (a journaled metafields set keeps no types). */
type FoldedOperation =
  | Exclude<PlanOperation, { kind: 'metafields_set' }>
  | { kind: 'metafields_set'; target: string; payload: { metafields: readonly { key: string; value: string }[] } };

function customerOf(op: FoldedOperation): string | null {
  return op.kind === 'profiles_upsert' || op.kind === 'profiles_unset' || op.kind === 'list_add' || op.kind === 'list_remove' ? op.payload.customerId : op.target;
}

export type ApplyJournal = ReturnType<typeof openApplyJournal>;

/**
 * What the journal keeps of an operation: its payload, except that a profile upsert keeps its
 * customer and property values and a metafields set its values, each with the id of their
 * names set (applied state's, stored once), and no email or metafield types: what folding it
 * into the applied state needs, in a third of the bytes.
 */
function journalPayload(op: PlanOperation, namesId: (names: readonly string[]) => number): unknown {
  if (op.kind === 'profiles_upsert') {
    const names = Object.keys(op.payload.properties).sort();
    return { customerId: op.payload.customerId, names: namesId(names), values: names.map((name) => op.payload.properties[name]) };
  }
  if (op.kind === 'metafields_set') {
    const metafields = [...op.payload.metafields].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { names: namesId(metafields.map((m) => m.key)), values: metafields.map((m) => m.value) };
  }
  return op.payload;
}

const packedSchema = z.object({ names: z.number().int(), values: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])) });

/**
 * A confirmed journal row as the operation applyOperation folds in; null for one with nothing to
 * fold: not a plan kind, or a profile upsert journaled before its values were (they were written
 * to the applied state when it was confirmed).
 */
function operationFromJournal(store: Store, row: JournalOperation): FoldedOperation | null {
  if (!(PLAN_KINDS as readonly string[]).includes(row.kind)) return null;
  if (row.kind !== 'profiles_upsert' && row.kind !== 'metafields_set') return { kind: row.kind, target: row.target, payload: row.payload } as PlanOperation;
  const packed = packedSchema.safeParse(row.payload);
  if (!packed.success) return row.kind === 'metafields_set' ? ({ kind: row.kind, target: row.target, payload: row.payload } as PlanOperation) : null;
  const names = store.applied.namesSet(packed.data.names);
  if (!names || names.length !== packed.data.values.length) {
    throw new StoreError(store.path, `journal operation ${row.id} names a set of names (${packed.data.names}) the store does not hold`);
  }
  const values = packed.data.values;
  if (row.kind === 'metafields_set') {
    return { kind: row.kind, target: row.target, payload: { metafields: names.map((key, index) => ({ key, value: String(values[index]) })) } };
  }
  const customerId = (row.payload as { customerId?: unknown }).customerId;
  if (typeof customerId !== 'string') throw new StoreError(store.path, `journal operation ${row.id} (a profile upsert) has no customer id`);
  return { kind: row.kind, target: row.target, tier: '', payload: { customerId, email: row.target, properties: Object.fromEntries(names.map((name, index) => [name, values[index]!])) } };
}

function isShopifyWrite(op: FoldedOperation): boolean {
  return op.kind === 'tags_add' || op.kind === 'tags_remove' || op.kind === 'metafields_set' || op.kind === 'metafields_delete';
}

/**
 * Brings the stored customers (Shopify's tags and metafields as last read) up to the writes
 * Shopify confirmed, so that the next run's read finds them as stored and rewrites no row: a
 * no-change sync after a first one then writes next to nothing. A run killed before this is
 * written only costs the next read a rewrite of those rows.
 */
function recordShopifyWrites(store: Store, writes: ReadonlyMap<string, readonly FoldedOperation[]>): void {
  const updated: StoredCustomer[] = [];
  for (const customerId of [...writes.keys()].sort()) {
    const stored = store.customers.getCustomer(customerId);
    if (stored) updated.push(writes.get(customerId)!.reduce(applyToObserved, stored));
  }
  if (updated.length) store.customers.upsertCustomers(updated);
}

/** A stored customer after one confirmed Shopify write, as Shopify keeps it (see canonicalTags). */
function applyToObserved(customer: StoredCustomer, op: FoldedOperation): StoredCustomer {
  switch (op.kind) {
    case 'tags_add':
      return { ...customer, tags: canonicalTags([...customer.tags, ...op.payload.tags]) };
    case 'tags_remove':
      return { ...customer, tags: withoutTags(customer.tags, op.payload.tags) };
    case 'metafields_set':
      return customer.metafields ? { ...customer, metafields: { ...customer.metafields, ...Object.fromEntries(op.payload.metafields.map((m) => [m.key, m.value])) } } : customer;
    case 'metafields_delete':
      return customer.metafields ? { ...customer, metafields: without(customer.metafields, op.payload.keys) } : customer;
    default:
      return customer;
  }
}

/** The last-applied state after one confirmed operation. */
function applyOperation(state: AppliedState, op: FoldedOperation): AppliedState {
  switch (op.kind) {
    case 'tags_add':
      return { ...state, tags: union(state.tags, op.payload.tags) };
    case 'tags_remove':
      return { ...state, tags: withoutTags(state.tags, op.payload.tags) };
    case 'metafields_set':
      return { ...state, metafields: { ...(state.metafields ?? {}), ...Object.fromEntries(op.payload.metafields.map((m) => [m.key, m.value])) } };
    case 'metafields_delete':
      return { ...state, metafields: without(state.metafields ?? {}, op.payload.keys) };
    case 'profiles_upsert':
      return { ...state, properties: { ...state.properties, ...op.payload.properties }, email: op.target };
    case 'profiles_unset':
      return { ...state, properties: without(state.properties, op.payload.keys) };
    case 'list_add':
      return { ...state, lists: union(state.lists, [op.payload.list]), email: op.target };
    case 'list_remove':
      return { ...state, lists: state.lists.filter((list) => list !== op.payload.list) };
  }
}

/** `tags` less `removed`, compared case-insensitively as Shopify compares tags. */
function withoutTags(tags: readonly string[], removed: readonly string[]): string[] {
  const gone = new Set(removed.map((t) => t.toLowerCase()));
  return tags.filter((t) => !gone.has(t.toLowerCase()));
}

function without<T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const gone = new Set(keys);
  return Object.fromEntries(Object.entries(record).filter(([key]) => !gone.has(key)));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
