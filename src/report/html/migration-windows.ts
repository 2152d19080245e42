import type { Config } from '../../config/schema.ts';
import { migration, type MigrationReport } from '../../core/migration.ts';
import { DAY_MS } from '../../core/order.ts';
import type { SnapshotEntry, SnapshotInfo } from '../../store/snapshots.ts';

export interface MigrationWindow {
  /** What the window compares against, e.g. "the previous run". */
  readonly label: string;
  /** The instant asked for: the snapshot used is the latest at or before it. */
  readonly target: number;
  /** The snapshot compared against, or null when the store has none that old. */
  readonly snapshot: SnapshotInfo | null;
  readonly report: MigrationReport | null;
}

/** What the windows need of the store's snapshots. */
export interface SnapshotSource {
  latestSnapshotAtOrBefore(asOf: number, beforeId?: number): SnapshotInfo | null;
  loadSnapshot(id: number): SnapshotEntry[];
}

/**
 * Migration since the previous run and since ~30 and ~90 days ago (the latest snapshot at or
 * before asOf, asOf − 30 days, asOf − 90 days), per docs/DESIGN.md "Health checks". The
 * previous run is the one `sync` compared against when it printed its migration: the latest
 * snapshot at or before asOf saved before `reportedSnapshotId`, the snapshot of the run being
 * reported (two syncs on one UTC day share an as-of). A snapshot serving several windows is
 * read once.
 *
 * @example
 * const windows = migrationWindows(store.snapshots, asOf.getTime(), segments, config, latest.id);
 * windows[0].report?.midUp;
 */
export function migrationWindows(
  snapshots: SnapshotSource,
  asOfMs: number,
  current: readonly { readonly customerId: string; readonly tier: string }[],
  config: Config,
  reportedSnapshotId?: number,
): MigrationWindow[] {
  const loaded = new Map<number, MigrationReport>();
  const windows = [
    // Not reporting a run (an orders file, --as-of): the previous run is strictly before asOf.
    { label: 'the previous run', target: reportedSnapshotId === undefined ? asOfMs - 1 : asOfMs, beforeId: reportedSnapshotId },
    { label: '~30 days ago', target: asOfMs - 30 * DAY_MS, beforeId: reportedSnapshotId },
    { label: '~90 days ago', target: asOfMs - 90 * DAY_MS, beforeId: reportedSnapshotId },
  ];
  return windows.map(({ label, target, beforeId }) => {
    const snapshot = snapshots.latestSnapshotAtOrBefore(target, beforeId);
    if (!snapshot) return { label, target, snapshot: null, report: null };
    let report = loaded.get(snapshot.id);
    if (!report) {
      const previous = new Map(snapshots.loadSnapshot(snapshot.id).map((entry) => [entry.customerId, entry.tier]));
      report = migration(previous, current, config, (asOfMs - snapshot.asOf) / DAY_MS);
      loaded.set(snapshot.id, report);
    }
    return { label, target, snapshot, report };
  });
}
