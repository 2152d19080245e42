import type { PollOptions } from '../shopify/bulk/poll-bulk-operation.ts';
import type { Progress } from './progress.ts';

/**
 * A phase for a Shopify bulk export while Shopify runs it: its `objectCount` at every poll
 * (the export has no total until it completes), ended when the result is being read.
 *
 * @example
 * const exporting = bulkExportProgress(progress, 'export orders (bulk)');
 * await runOrdersBulkQuery({ client, poll: exporting.poll })({ ...input, onOrder: (o) => { exporting.finish(); read(o); } });
 * exporting.finish();
 */
export function bulkExportProgress(progress: Progress, name: string) {
  const phase = progress.phase(name);
  let seen = 0;
  let finished = false;
  const poll: PollOptions = {
    onObjectCount(count) {
      if (finished || count <= seen) return;
      phase.tick(count - seen);
      seen = count;
    },
  };
  return {
    poll,
    /** Ends the phase (once; later calls do nothing). */
    finish(): void {
      if (finished) return;
      finished = true;
      phase.done(`${seen} objects`);
    },
  };
}
