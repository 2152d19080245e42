import { Worker } from 'node:worker_threads';
import type { FactsOrder } from '../../core/order.ts';
import { UserError } from '../../errors.ts';
import type { ReadOrdersOptions, ReadOrdersSummary } from '../types.ts';
import { createBatchUnpacker } from './order-batches.ts';
import type { WorkerMessage, WorkerTask } from './worker-messages.ts';

/**
 * The plain orders CSV parsed on a second thread while this one takes the orders: the same
 * orders (without ids and currencies, which the facts do not read), the same skipped rows in
 * the same order and the same summary as readPlainCsvFast, which the worker runs. On two
 * cores the parse (about half of `segment`'s time) then overlaps the facts.
 * `onOrder` gets one reused object per order: read it during the call, do not keep it.
 */
export async function readPlainCsvInWorker(path: string, onOrder: (order: FactsOrder) => void, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const task: WorkerTask = { path, ...(options.currency ? { currency: options.currency } : {}) };
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: task });
  const unpack = createBatchUnpacker(onOrder, options.onReject);
  try {
    return await new Promise<ReadOrdersSummary>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        try {
          if (message.kind === 'batch') unpack(message.batch);
          else if (message.kind === 'done') resolve(message.summary);
          else if (message.userExitCode !== null) reject(new UserError(message.message, message.userExitCode));
          else reject(Object.assign(new Error(message.message), { stack: message.stack ?? undefined }));
        } catch (error) {
          reject(error as Error);
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the orders parsing thread stopped (exit code ${code}) before it finished ${path}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * A worker starts without the main thread's TypeScript loader (module hooks are per thread
 * in Node 20), so it registers tsx before importing the worker module.
 */
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_MODULE = new URL('./plain-csv-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_MODULE)}); });`;
