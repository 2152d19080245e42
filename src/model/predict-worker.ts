import { parentPort, workerData } from 'node:worker_threads';
import { predictTask, type PredictMessage, type PredictTask } from './predict-in-worker.ts';

/** The model thread of {@link predictInWorker}: runs the task and posts its outcome (the prediction columns moved), or the error. */
const port = parentPort!;
try {
  const outcome = predictTask(workerData as PredictTask);
  const transfer = outcome.columns ? Object.values(outcome.columns).map((column: Float64Array) => column.buffer as ArrayBuffer) : [];
  port.postMessage({ kind: 'done', outcome } satisfies PredictMessage, transfer);
} catch (error) {
  port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error), stack: (error as Error).stack ?? null } satisfies PredictMessage);
}
