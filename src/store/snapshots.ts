import { gunzipSync, gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { InternalError, StoreError } from '../errors.ts';

/** One customer's segment as a run computed it (what migration monitoring compares). */
export interface SnapshotEntry {
  readonly customerId: string;
  readonly tier: string;
  /** Overlays as short codes: `r` at risk, `h` lapsed high-value, `l` lapsed low-value, `s` suppressed, `a` reactivation due. */
  readonly overlays: string;
  readonly recency: string;
}

/** The segment fields a snapshot keeps. */
export interface SnapshotSource {
  readonly customerId: string;
  readonly tier: string;
  readonly recencyBucket: string;
  readonly atRisk: boolean;
  readonly lapsed: 'high_value' | 'low_value' | null;
  readonly suppressed: boolean;
  readonly reactivationDue: boolean;
}

/**
 * A segment as a snapshot entry: overlays as their short codes, in a fixed order.
 *
 * @example
 * snapshotEntryOf(segment); // { customerId: '7', tier: 'vip', overlays: 'ra', recency: 'warm' }
 */
export function snapshotEntryOf(segment: SnapshotSource): SnapshotEntry {
  const overlays = `${segment.atRisk ? 'r' : ''}${segment.lapsed === 'high_value' ? 'h' : ''}${segment.lapsed === 'low_value' ? 'l' : ''}${segment.suppressed ? 's' : ''}${segment.reactivationDue ? 'a' : ''}`;
  return { customerId: segment.customerId, tier: segment.tier, overlays, recency: segment.recencyBucket };
}

export interface SnapshotInfo {
  readonly id: number;
  readonly runId: number | null;
  readonly asOf: number;
  readonly customers: number;
  readonly bytes: number;
}

export interface SnapshotRepository {
  /**
   * Keeps the entries as of `asOf`. A snapshot equal to the latest one of the same `asOf` (a
   * second sync of the day with nothing changed) is not written again: its info is returned.
   */
  saveSnapshot(runId: number | null, asOf: number, entries: Iterable<SnapshotEntry>): SnapshotInfo;
  /**
   * The latest snapshot taken at or before `asOf` (epoch ms), or null; with `beforeId`, only
   * snapshots saved before that one (the run before a given run, even on the same day).
   */
  latestSnapshotAtOrBefore(asOf: number, beforeId?: number): SnapshotInfo | null;
  loadSnapshot(id: number): SnapshotEntry[];
}

const lineSchema = z.tuple([z.string().min(1), z.string().min(1), z.string(), z.string()]);

/**
 * Per-run snapshots of every customer's tier and overlays, stored compactly: tab-separated
 * lines, gzipped in one blob (a million customers take a few MB, well under the ~50 MB
 * budget of issue 7).
 *
 * @example
 * const snapshots = createSnapshotRepository(db);
 * snapshots.saveSnapshot(runId, asOf.getTime(), segments.map(snapshotEntryOf));
 */
export function createSnapshotRepository(db: Database.Database): SnapshotRepository {
  const insert = db.prepare('INSERT INTO snapshots (run_id, as_of, customers, data) VALUES (?, ?, ?, ?)');
  const latest = db.prepare('SELECT id, run_id, as_of, customers, length(data) AS bytes FROM snapshots WHERE as_of <= ? AND id < ? ORDER BY as_of DESC, id DESC LIMIT 1');
  const load = db.prepare('SELECT data FROM snapshots WHERE id = ?').pluck(true);
  const sameDay = db.prepare('SELECT id, run_id, as_of, customers, length(data) AS bytes, data FROM snapshots WHERE as_of = ? ORDER BY id DESC LIMIT 1');
  const toInfo = (row: { id: number; run_id: number | null; as_of: number; customers: number; bytes: number }): SnapshotInfo => ({
    id: row.id, runId: row.run_id, asOf: row.as_of, customers: row.customers, bytes: row.bytes,
  });
  return {
    saveSnapshot(runId, asOf, entries) {
      const lines: string[] = [];
      for (const e of entries) lines.push(`${e.customerId}\t${e.tier}\t${e.overlays}\t${e.recency}`);
      const data = gzipSync(lines.join('\n'));
      const previous = sameDay.get(asOf) as (Parameters<typeof toInfo>[0] & { data: Buffer }) | undefined;
      if (previous && previous.data.equals(data)) return toInfo(previous);
      const result = insert.run(runId, asOf, lines.length, data);
      return { id: Number(result.lastInsertRowid), runId, asOf, customers: lines.length, bytes: data.length };
    },
    latestSnapshotAtOrBefore(asOf, beforeId = Number.MAX_SAFE_INTEGER) {
      const row = latest.get(asOf, beforeId) as Parameters<typeof toInfo>[0] | undefined;
      return row ? toInfo(row) : null;
    },
    loadSnapshot(id) {
      const data = load.get(id) as Buffer | undefined;
      if (!data) throw new InternalError(`order store: no snapshot ${id}`);
      const text = gunzipSync(data).toString('utf8');
      if (!text) return [];
      return text.split('\n').map((line, index) => {
        const parsed = lineSchema.safeParse(line.split('\t'));
        if (!parsed.success) throw new StoreError(db.name, `snapshot ${id} line ${index + 1} is damaged`);
        const [customerId, tier, overlays, recency] = parsed.data;
        return { customerId, tier, overlays, recency };
      });
    },
  };
}
