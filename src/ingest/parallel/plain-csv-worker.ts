import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../errors.ts';
import { readPlainCsvFast } from '../fast/read-plain-csv-fast.ts';
import { createBatchPacker } from './order-batches.ts';
import type { WorkerMessage, WorkerTask } from './worker-messages.ts';

/**
 * The parsing thread of {@link readPlainCsvInWorker}: reads the file with the same reader as
 * the main thread would (readPlainCsvFast, so the rules and reject reasons stay in one place)
 * and posts its orders as batches, then the summary, or the error.
 */
const port = parentPort!;
const task = workerData as WorkerTask;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const packer = createBatchPacker((batch, transfer) => post({ kind: 'batch', batch }, transfer));
try {
  const summary = await readPlainCsvFast(task.path, packer.add, { ...(task.currency ? { currency: task.currency } : {}), onReject: packer.reject });
  packer.finish();
  post({ kind: 'done', summary });
} catch (error) {
  // What was read before the error reaches the caller too, as with the reader on the main thread.
  packer.finish();
  const user = error instanceof UserError;
  post({ kind: 'failed', message: error instanceof Error ? error.message : String(error), userExitCode: user ? error.exitCode : null, stack: user ? null : ((error as Error).stack ?? null) });
}
