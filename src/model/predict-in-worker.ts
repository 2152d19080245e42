import { Worker } from 'node:worker_threads';
import { fitModelColumns, predictColumns, type CustomerPredictionColumns, type ModelFits } from './predict-customers.ts';
import type { RfmColumns, TimeUnit } from './rfm-summary.ts';

/** What the model thread is given: the summaries, their time unit, and fits to reuse instead of a new fit. */
export interface PredictTask {
  readonly summaries: RfmColumns;
  readonly timeUnit: TimeUnit;
  readonly reuse: ModelFits | null;
}

export type PredictOutcome = ModelFits & { columns: CustomerPredictionColumns | null };

/** What the model thread answers: the outcome, or the error it met. */
export type PredictMessage = { kind: 'done'; outcome: PredictOutcome } | { kind: 'failed'; message: string; stack: string | null };

/**
 * `predictColumns(summaries, reuse ?? fitModelColumns(summaries, { timeUnit }))` on a second
 * thread, so that on two cores the fits and a million predictions (about a second) overlap
 * the ranking and segmenting, which do not need them under the default config. Same code,
 * same numbers: the thread runs exactly that call. The summaries are copied to the thread,
 * the predictions come back moved, not copied.
 *
 * @example
 * const outcome = await predictInWorker({ summaries, timeUnit: 'week', reuse: null });
 */
export async function predictInWorker(task: PredictTask): Promise<PredictOutcome> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: task });
  try {
    return await new Promise<PredictOutcome>((resolve, reject) => {
      worker.on('message', (message: PredictMessage) => {
        if (message.kind === 'done') resolve(message.outcome);
        else reject(Object.assign(new Error(message.message), { stack: message.stack ?? undefined }));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the model thread stopped (exit code ${code}) before it finished`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The call the model thread makes (also what runs when no thread is used). */
export function predictTask({ summaries, timeUnit, reuse }: PredictTask): PredictOutcome {
  return predictColumns(summaries, reuse ?? fitModelColumns(summaries, { timeUnit }));
}

/**
 * A worker starts without the main thread's TypeScript loader (module hooks are per thread
 * in Node 20), so it registers tsx before importing the worker module.
 */
const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_MODULE = new URL('./predict-worker.ts', import.meta.url).href;
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_MODULE)}); });`;
