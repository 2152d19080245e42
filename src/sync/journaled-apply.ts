import { PLAN_KINDS, type PlanKind, type PlanOperation } from '../reconcile/plan.ts';
import type { AppliedState } from '../core/applied-state.ts';
import type { Store } from '../store/open-store.ts';

const EMPTY: AppliedState = { tags: [], properties: {}, lists: [], metafields: {} };

/**
 * The journal of one apply (docs/DESIGN.md "Reconcile, plan, apply"): every operation of a chunk is
 * recorded as pending before any of it is sent, marked sent just before its request, and
 * confirmed together with the applied state it produced, in one transaction, so a crash at
 * any point leaves the store saying exactly what landed. Each is one batched write.
 *
 * @example
 * const journal = openApplyJournal(store, runId);
 * journal.record(chunk);
 * journal.sent(ops);
 * journal.confirm(ops);
 */
export function openApplyJournal(store: Store, runId: number) {
  // Weak: a chunk's operations are garbage once it is applied.
  const ids = new WeakMap<PlanOperation, number>();
  const idsOf = (ops: readonly PlanOperation[]) => ops.map((op) => ids.get(op)!);
  const confirmedByKind = Object.fromEntries(PLAN_KINDS.map((kind) => [kind, 0])) as Record<PlanKind, number>;
  let confirmed = 0;
  let failed = 0;

  return {
    /** Records a chunk's operations as pending, in one transaction, before any of it is sent. */
    record(ops: readonly PlanOperation[]): void {
      const recorded = store.journal.recordPending(runId, ops.map((op) => ({ kind: op.kind, target: op.target, payload: journalPayload(op) })));
      ops.forEach((op, index) => ids.set(op, recorded[index]!.id));
    },
    sent(ops: readonly PlanOperation[]): void {
      if (ops.length) store.journal.markSent(idsOf(ops));
    },
    /** Confirms operations and records what they changed in the last-applied state. */
    confirm(ops: readonly PlanOperation[]): void {
      if (!ops.length) return;
      const touched = new Map<string, AppliedState>();
      for (const op of ops) {
        const customerId =
          op.kind === 'profiles_upsert' || op.kind === 'profiles_unset' || op.kind === 'list_add' || op.kind === 'list_remove' ? op.payload.customerId : op.target;
        if (!customerId) continue;
        touched.set(customerId, applyOperation(touched.get(customerId) ?? store.applied.getAppliedState(customerId) ?? EMPTY, op));
      }
      store.transaction(() => {
        store.journal.markConfirmed(idsOf(ops));
        store.applied.setAppliedStates([...touched].map(([customerId, state]) => ({ customerId, state })));
      });
      confirmed += ops.length;
      for (const op of ops) confirmedByKind[op.kind]++;
    },
    fail(ops: readonly PlanOperation[], error: string): void {
      if (!ops.length) return;
      store.journal.markFailed(idsOf(ops), error);
      failed += ops.length;
    },
    counts: () => ({ confirmed, failed, confirmedByKind: { ...confirmedByKind } }),
  };
}

export type ApplyJournal = ReturnType<typeof openApplyJournal>;

/**
 * What the journal keeps of an operation: its payload, except that a profile upsert keeps the
 * names of the properties it sets, not their values (a kilobyte a profile; the applied state
 * records the values once confirmed, and a resumed run re-plans from that).
 */
function journalPayload(op: PlanOperation): unknown {
  if (op.kind !== 'profiles_upsert') return op.payload;
  return { customerId: op.payload.customerId, email: op.payload.email, properties: Object.keys(op.payload.properties).sort() };
}

/** The last-applied state after one confirmed operation. */
function applyOperation(state: AppliedState, op: PlanOperation): AppliedState {
  switch (op.kind) {
    case 'tags_add':
      return { ...state, tags: union(state.tags, op.payload.tags) };
    case 'tags_remove': {
      const removed = new Set(op.payload.tags.map((t) => t.toLowerCase()));
      return { ...state, tags: state.tags.filter((t) => !removed.has(t.toLowerCase())) };
    }
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

function without<T>(record: Readonly<Record<string, T>>, keys: readonly string[]): Record<string, T> {
  const gone = new Set(keys);
  return Object.fromEntries(Object.entries(record).filter(([key]) => !gone.has(key)));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
