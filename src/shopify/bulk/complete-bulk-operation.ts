import type { ShopifyClient } from '../client.ts';
import { BulkOperationEndedError, pollBulkOperation, type CompletedBulkOperation, type PollOptions } from './poll-bulk-operation.ts';

export interface CompleteBulkOperationInput {
  readonly operation: string;
  /** Starts a new bulk operation and returns its id. */
  readonly start: () => Promise<string>;
  /** An operation started by an interrupted run: polled first, replaced if it can no longer complete. */
  readonly resumeOperationId?: string;
  /** Called with each operation id as soon as it is known (journal it to resume). */
  readonly onOperationId?: (id: string) => void | Promise<void>;
  readonly poll?: PollOptions;
}

/**
 * Brings a bulk operation to completion: resumes the given one, or starts one; a resumed
 * operation that failed, expired or is unknown is replaced by a new one, once. A run
 * interrupted at any point therefore resumes or restarts cleanly.
 *
 * @example
 * const done = await completeBulkOperation(client, { operation: 'orders bulk query',
 *   start: () => startBulkQuery(client, query, 'orders bulk query'), resumeOperationId: journal.bulkId });
 */
export async function completeBulkOperation(client: ShopifyClient, input: CompleteBulkOperationInput): Promise<CompletedBulkOperation> {
  if (input.resumeOperationId !== undefined) {
    await input.onOperationId?.(input.resumeOperationId);
    try {
      return await pollBulkOperation(client, input.resumeOperationId, input.operation, input.poll);
    } catch (error) {
      if (!(error instanceof BulkOperationEndedError)) throw error;
    }
  }
  const id = await input.start();
  await input.onOperationId?.(id);
  return pollBulkOperation(client, id, input.operation, input.poll);
}
