import type { ReadOrdersSummary } from '../types.ts';
import type { OrderBatch } from './order-batches.ts';

/** What the main thread gives the parsing worker. */
export interface WorkerTask {
  readonly path: string;
  readonly currency?: string;
}

/** What the parsing worker posts, in this order: batches, then `done` or `failed`. */
export type WorkerMessage =
  | { readonly kind: 'batch'; readonly batch: OrderBatch }
  | { readonly kind: 'done'; readonly summary: ReadOrdersSummary }
  | { readonly kind: 'failed'; readonly message: string; readonly userExitCode: number | null; readonly stack: string | null };
