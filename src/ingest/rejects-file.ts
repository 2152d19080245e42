import { closeSync, openSync, writeSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { csvRow } from '../util/csv-row.ts';
import type { SkippedRow } from './types.ts';

/** Buffered bytes before a write: a file of bad rows is written as it is read, in flat memory. */
const FLUSH_AT = 64 * 1024;

/**
 * `--rejects FILE`: every row the reader skipped, as CSV `line,kind,reason,raw` (raw: the
 * record as in the file). Written synchronously in small batches, so however many rows are
 * bad, memory stays flat and the file is complete when the read ends.
 *
 * @example
 * const rejects = openRejectsFile('rejects.csv');
 * await readOrders(path, run.add, { onReject: rejects.write });
 * rejects.close();
 */
export function openRejectsFile(path: string) {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new UserError(`--rejects ${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error });
  }
  let pending = csvRow(['line', 'kind', 'reason', 'raw']);
  let rows = 0;
  const flush = () => {
    if (pending) writeSync(fd, pending);
    pending = '';
  };
  return {
    write(row: SkippedRow): void {
      rows++;
      pending += csvRow([String(row.line), row.kind, row.reason, row.raw]);
      if (pending.length >= FLUSH_AT) flush();
    },
    /** Writes what is left and closes the file; returns the number of rows written. */
    close(): number {
      flush();
      closeSync(fd);
      return rows;
    },
  };
}
