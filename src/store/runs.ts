import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InternalError } from '../errors.ts';

/** `running` also covers a run whose process died; `failed` stopped with its journal intact. */
export type RunStatus = 'running' | 'completed' | 'failed' | 'abandoned';

export interface Run {
  readonly id: number;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly status: RunStatus;
  /** Whatever the run chose to count (operations by kind, orders pulled, ...). */
  readonly counts: Readonly<Record<string, number>>;
}

const countsSchema = z.record(z.string(), z.number());
const runStatusSchema = z.enum(['running', 'completed', 'failed', 'abandoned']);

export interface RunRepository {
  startRun(): Run;
  /** Records how the run ended; `counts` replaces what was stored. */
  finishRun(id: number, status: Exclude<RunStatus, 'running'>, counts: Record<string, number>): Run;
  /** Replaces the run's counts while it is still going (progress that survives a crash). */
  updateCounts(id: number, counts: Record<string, number>): void;
  getRun(id: number): Run | null;
  /**
   * The most recent run that did not finish (`running`: its process died; `failed`: it stopped
   * on an error), whose journal the next sync resumes; null when there is none.
   */
  openRun(): Run | null;
  /** The most recent completed run, e.g. for the migration matrix "since the previous run". */
  lastCompletedRun(): Run | null;
}

interface RunRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  status: string;
  counts: string;
}

/**
 * Run bookkeeping over an open, migrated database; `now` stamps start and finish times.
 *
 * @example
 * const runs = createRunRepository(db, Date.now);
 * const run = runs.startRun();
 * runs.finishRun(run.id, 'completed', { tags_add: 12 });
 */
export function createRunRepository(db: Database.Database, now: () => number): RunRepository {
  const insert = db.prepare("INSERT INTO runs (started_at, status, counts) VALUES (?, 'running', '{}')");
  const finish = db.prepare('UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?');
  const setCounts = db.prepare('UPDATE runs SET counts = ? WHERE id = ?');
  const byId = db.prepare('SELECT * FROM runs WHERE id = ?');
  const open = db.prepare("SELECT * FROM runs WHERE status IN ('running', 'failed') ORDER BY id DESC LIMIT 1");
  const completed = db.prepare("SELECT * FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1");

  function getRun(id: number): Run {
    const row = byId.get(id) as RunRow | undefined;
    if (!row) throw new InternalError(`order store: run ${id} does not exist`);
    return rowToRun(row);
  }

  return {
    startRun() {
      return getRun(Number(insert.run(now()).lastInsertRowid));
    },
    finishRun(id, status, counts) {
      const checked = countsSchema.parse(counts);
      const changes = finish.run(now(), runStatusSchema.parse(status), JSON.stringify(checked), id).changes;
      if (changes !== 1) throw new InternalError(`order store: run ${id} does not exist`);
      return getRun(id);
    },
    updateCounts(id, counts) {
      if (setCounts.run(JSON.stringify(countsSchema.parse(counts)), id).changes !== 1) {
        throw new InternalError(`order store: run ${id} does not exist`);
      }
    },
    getRun(id) {
      const row = byId.get(id) as RunRow | undefined;
      return row ? rowToRun(row) : null;
    },
    openRun() {
      const row = open.get() as RunRow | undefined;
      return row ? rowToRun(row) : null;
    },
    lastCompletedRun() {
      const row = completed.get() as RunRow | undefined;
      return row ? rowToRun(row) : null;
    },
  };
}

function rowToRun(row: RunRow): Run {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: runStatusSchema.parse(row.status),
    counts: countsSchema.parse(JSON.parse(row.counts)),
  };
}
