import type { ShopifyClient } from '../client.ts';
import { BulkOperationEndedError, pollBulkOperation, type CompletedBulkOperation, type PollOptions } from './poll-bulk-operation.ts';

/** Fresh starts after an operation ended without completing (FAILED with TIMEOUT, EXPIRED, CANCELED), before giving up. */
export const MAX_BULK_RESTARTS = 2;

export interface CompleteBulkOperationInput {
  readonly operation: string;
  /** Starts a new bulk operation (or adopts the one already running the same document) and returns its id. */
  readonly start: () => Promise<string>;
  /** An operation started by an interrupted run: polled first, replaced if it can no longer complete. */
  readonly resumeOperationId?: string;
  /** Called with each operation id as soon as it is known (journal it to resume). */
  readonly onOperationId?: (id: string) => void | Promise<void>;
  readonly poll?: PollOptions;
}

/**
 * Brings a bulk operation to completion: resumes the given one, or starts one. An operation that
 * ends without completing (FAILED, e.g. TIMEOUT with only a partialDataUrl; EXPIRED, its URL
 * older than a week; CANCELED; unknown) is replaced by a fresh start, up to MAX_BULK_RESTARTS
 * times: partial data is never taken for the whole export. A run interrupted at any point
 * therefore resumes or restarts cleanly.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries
 *
 * @example
 * const done = await completeBulkOperation(client, { operation: 'orders bulk query',
 *   start: () => startOrAdoptBulkQuery(client, query, 'orders bulk query'), resumeOperationId: journal.bulkId });
 */
export async function completeBulkOperation(client: ShopifyClient, input: CompleteBulkOperationInput): Promise<CompletedBulkOperation> {
  let id = input.resumeOperationId;
  let restarts = 0;
  for (;;) {
    const resumed = id !== undefined;
    id ??= await input.start();
    await input.onOperationId?.(id);
    try {
      return await pollBulkOperation(client, id, input.operation, input.poll);
    } catch (error) {
      if (!(error instanceof BulkOperationEndedError)) throw error;
      // A resumed operation that ended is replaced freely; a fresh one only so many times.
      if (!resumed && restarts++ >= MAX_BULK_RESTARTS) throw error;
      id = undefined;
    }
  }
}
