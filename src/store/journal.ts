import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ACTIVATION_KINDS } from '../activation/plan-activation.ts';
import { InternalError } from '../errors.ts';
import { PLAN_KINDS } from '../reconcile/plan.ts';

/** Every kind the journal records: the per-customer plan's, then activation's (native segments and metafield definitions). */
export const OPERATION_KINDS = [...PLAN_KINDS, ...ACTIVATION_KINDS] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * `sent` means it may have landed: resending must be safe (the customer kinds are idempotent;
 * activation creates are not, so a resumed run re-plans them from a fresh read and finds by name
 * what landed instead of resending).
 */
export type OperationStatus = 'pending' | 'sent' | 'confirmed' | 'failed';

export interface PlannedOperation {
  readonly kind: OperationKind;
  /** What the operation changes: a customer id, an email, a list id. */
  readonly target: string;
  /** What a resumed run needs of it, as JSON: to fold it into the applied state, or (activation) to find what landed. */
  readonly payload: unknown;
}

export interface JournalOperation extends PlannedOperation {
  readonly id: number;
  readonly runId: number;
  readonly status: OperationStatus;
  readonly error: string | null;
  readonly updatedAt: number;
}

// The payload is checked by serializing it (below): a deep zod walk of every payload cost
// more than the whole apply on a 500,000-operation plan.
const plannedOperationSchema = z.object({
  kind: z.enum(OPERATION_KINDS),
  target: z.string().min(1),
});

export interface Journal {
  /** Records the operations as `pending`, in one transaction, before any is sent; returns them with their ids. */
  recordPending(runId: number, operations: readonly PlannedOperation[]): JournalOperation[];
  /** Each returns how many operations changed; a confirmed operation never moves back. */
  markSent(ids: readonly number[]): number;
  markConfirmed(ids: readonly number[]): number;
  markFailed(ids: readonly number[], error: string): number;
  /** The run's operations not yet confirmed (pending, sent or failed), by id: what a resume sends. */
  pendingOperations(runId: number): JournalOperation[];
  /** Up to `limit` of the run's confirmed operations with an id after `afterId`, by id (pages that leave the store free to write in between). */
  confirmedAfter(runId: number, afterId: number, limit: number): JournalOperation[];
  /** Operation counts by kind and status. */
  counts(runId: number): Record<OperationKind, Record<OperationStatus, number>>;
  /**
   * Deletes the operations of runs older than `runId` (finished runs keep their counts in
   * `runs`): the journal only ever needs the latest run's. Called before a run records its first
   * operation, when the journal holds older runs only, it drops their pages whole without
   * rewriting them. Returns how many were deleted.
   */
  compactBefore(runId: number): number;
}

type JournalRow = [number, number, string, string, string, string, string | null, number];

/**
 * The apply journal (docs/DESIGN.md "Reconcile, plan, apply"): every operation is written before it
 * is sent and marked after, so a run killed at any point resumes without losing or repeating
 * a confirmed write.
 *
 * @example
 * const journal = createJournal(db, Date.now);
 * const [op] = journal.recordPending(run.id, [{ kind: 'tags_add', target: '7100000001', payload: { tags: ['ltv:vip'] } }]);
 * journal.markSent([op.id]);
 * journal.markConfirmed([op.id]);
 */
export function createJournal(db: Database.Database, now: () => number): Journal {
  const insert = db.prepare('INSERT INTO journal_operations (run_id, kind, target, payload, recorded_at) VALUES (?, ?, ?, ?, ?)');
  const runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck(true);
  // A status row per operation that left `pending`, never for an id the journal does not hold.
  const setStatus = (status: Exclude<OperationStatus, 'pending'>) =>
    db.prepare(`
      INSERT INTO journal_status (id, status, error, updated_at)
        SELECT id, '${status}', ?, ? FROM journal_operations WHERE id = ?
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, error = excluded.error, updated_at = excluded.updated_at
        WHERE journal_status.status != 'confirmed'`);
  const statements = { sent: setStatus('sent'), confirmed: setStatus('confirmed'), failed: setStatus('failed') };
  const pending = db
    .prepare(
      "SELECT id, run_id, kind, target, payload, status, error, updated_at FROM journal WHERE run_id = ? AND status != 'confirmed' ORDER BY id",
    )
    .raw(true);
  const confirmedPage = db
    .prepare(
      "SELECT id, run_id, kind, target, payload, status, error, updated_at FROM journal WHERE run_id = ? AND id > ? AND status = 'confirmed' ORDER BY id LIMIT ?",
    )
    .raw(true);
  const latestRun = db.prepare('SELECT run_id FROM journal_operations ORDER BY id DESC LIMIT 1').pluck(true);
  // Without WHERE (and with neither triggers nor foreign keys) SQLite frees the pages whole.
  const clearStatus = db.prepare('DELETE FROM journal_status');
  const clearOperations = db.prepare('DELETE FROM journal_operations');
  const olderStatus = db.prepare('DELETE FROM journal_status WHERE id IN (SELECT id FROM journal_operations WHERE run_id < ?)');
  const olderOperations = db.prepare('DELETE FROM journal_operations WHERE run_id < ?');
  const grouped = db.prepare('SELECT kind, status, count(*) FROM journal WHERE run_id = ? GROUP BY kind, status').raw(true);

  const insertAll = db.transaction((runId: number, operations: readonly PlannedOperation[]): JournalOperation[] => {
    const at = now();
    return operations.map((op, index) => {
      let payload: string | undefined;
      try {
        payload = JSON.stringify(op.payload);
      } catch (error) {
        throw new InternalError(`journal: operation ${index} of run ${runId} has a payload that is not JSON: ${(error as Error).message}`, { cause: error });
      }
      if (payload === undefined) throw new InternalError(`journal: operation ${index} of run ${runId} has no JSON payload`);
      const id = Number(insert.run(runId, op.kind, op.target, payload, at).lastInsertRowid);
      return { id, runId, kind: op.kind, target: op.target, payload: op.payload, status: 'pending', error: null, updatedAt: at };
    });
  });
  const mark = db.transaction((status: keyof typeof statements, ids: readonly number[], error: string | null) => {
    const at = now();
    let changed = 0;
    for (const id of ids) changed += statements[status].run(error, at, id).changes;
    return changed;
  });
  const compact = db.transaction((runId: number): number => {
    const latest = latestRun.get() as number | undefined;
    if (latest === undefined) return 0;
    if (latest < runId) {
      clearStatus.run();
      return clearOperations.run().changes;
    }
    olderStatus.run(runId);
    return olderOperations.run(runId).changes;
  });

  return {
    recordPending(runId, operations) {
      if (runExists.get(runId) === undefined) throw new InternalError(`journal: run ${runId} does not exist`);
      operations.forEach((op, index) => {
        const result = plannedOperationSchema.safeParse(op);
        if (!result.success) {
          throw new InternalError(`journal: operation ${index} of run ${runId} is invalid: ${z.prettifyError(result.error)}`);
        }
      });
      return insertAll(runId, operations);
    },
    markSent: (ids) => mark('sent', ids, null),
    markConfirmed: (ids) => mark('confirmed', ids, null),
    markFailed: (ids, error) => mark('failed', ids, error),
    pendingOperations(runId) {
      return (pending.all(runId) as JournalRow[]).map(rowToOperation);
    },
    confirmedAfter(runId, afterId, limit) {
      return (confirmedPage.all(runId, afterId, limit) as JournalRow[]).map(rowToOperation);
    },
    compactBefore: (runId) => compact(runId),
    counts(runId) {
      const counts = Object.fromEntries(
        OPERATION_KINDS.map((kind) => [kind, { pending: 0, sent: 0, confirmed: 0, failed: 0 }]),
      ) as Record<OperationKind, Record<OperationStatus, number>>;
      for (const [kind, status, n] of grouped.all(runId) as [OperationKind, OperationStatus, number][]) {
        counts[kind][status] = n;
      }
      return counts;
    },
  };
}

function rowToOperation([id, runId, kind, target, payload, status, error, updatedAt]: JournalRow): JournalOperation {
  return {
    id,
    runId,
    kind: kind as OperationKind,
    target,
    payload: JSON.parse(payload) as unknown,
    status: status as OperationStatus,
    error,
    updatedAt,
  };
}
