import type { ReadOrdersSummary } from '../ingest/types.ts';

/**
 * The skipped rows of a read in one line: how many, how many of each kind, the first one, and
 * where they all are when `--rejects` wrote them.
 *
 * @example
 * formatSkipped(read, 'rejects.csv')
 * // 'skipped 3 bad rows: 2 processed_at is not a date, 1 total is negative; first: line 5: …; all in rejects.csv'
 */
export function formatSkipped(read: Pick<ReadOrdersSummary, 'skipped' | 'skippedCount' | 'skippedByKind'>, rejectsPath?: string): string {
  if (read.skippedCount === 0) return 'skipped 0 bad rows';
  const kinds = Object.entries(read.skippedByKind).map(([kind, count]) => `${count} ${kind}`).join(', ');
  const first = read.skipped[0]!;
  const where = rejectsPath ? `; all in ${rejectsPath}` : '; --rejects FILE lists them all';
  return `skipped ${read.skippedCount} bad rows: ${kinds}; first: line ${first.line}: ${first.reason}${where}`;
}
