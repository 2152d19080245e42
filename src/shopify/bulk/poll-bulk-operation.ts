import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';

/** Status of one bulk operation by id (`currentBulkOperation` is deprecated in 2026-07). */
export const BULK_OPERATION_STATUS_QUERY = `query BulkOperationStatus($id: ID!) {
  bulkOperation(id: $id) {
    id
    status
    errorCode
    objectCount
    url
    partialDataUrl
  }
}`;

const statusSchema = z.object({
  bulkOperation: z
    .object({
      id: z.string(),
      status: z.enum(['CANCELED', 'CANCELING', 'COMPLETED', 'CREATED', 'EXPIRED', 'FAILED', 'RUNNING']),
      errorCode: z.string().nullable(),
      objectCount: z.union([z.string(), z.number()]),
      url: z.string().nullable(),
      partialDataUrl: z.string().nullable(),
    })
    .nullable(),
});

/** A bulk operation that will never complete: failed, canceled, expired or unknown. */
export class BulkOperationEndedError extends ApiError {
  override name = 'BulkOperationEndedError';
}

export interface CompletedBulkOperation {
  readonly id: string;
  /** The result JSONL; null when the operation produced no object. */
  readonly url: string | null;
  readonly objectCount: number;
}

export interface PollOptions {
  /** First wait between polls (default 1 s); each next wait is 1.5 times longer, up to `maxIntervalMs`. */
  readonly initialIntervalMs?: number;
  /** Longest wait between polls (default 15 s). */
  readonly maxIntervalMs?: number;
  /** Told the operation's `objectCount` at every poll: how far a running export is (progress). */
  readonly onObjectCount?: (count: number) => void;
}

/**
 * Polls `bulkOperation(id:)` with a growing interval until the operation completes; a failed,
 * canceled, expired or unknown operation throws a BulkOperationEndedError with its error code.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries
 *
 * @example
 * const done = await pollBulkOperation(client, 'gid://shopify/BulkOperation/1', 'orders bulk query');
 */
export async function pollBulkOperation(
  client: ShopifyClient,
  id: string,
  operation: string,
  options: PollOptions = {},
): Promise<CompletedBulkOperation> {
  let intervalMs = options.initialIntervalMs ?? 1000;
  const maxIntervalMs = options.maxIntervalMs ?? 15_000;
  for (;;) {
    const { bulkOperation } = await client.request({
      operation: `${operation} status`,
      document: BULK_OPERATION_STATUS_QUERY,
      variables: { id },
      estimatedCost: 1,
      data: statusSchema,
    });
    if (!bulkOperation) {
      throw new BulkOperationEndedError(`bulk operation ${id} does not exist (expired or never created)`, { service: 'shopify', operation });
    }
    options.onObjectCount?.(Number(bulkOperation.objectCount));
    if (bulkOperation.status === 'COMPLETED') {
      return { id, url: bulkOperation.url, objectCount: Number(bulkOperation.objectCount) };
    }
    if (['FAILED', 'CANCELED', 'CANCELING', 'EXPIRED'].includes(bulkOperation.status)) {
      throw new BulkOperationEndedError(
        `bulk operation ${id} ended ${bulkOperation.status}${bulkOperation.errorCode ? ` (${bulkOperation.errorCode})` : ''}; start a new one`,
        { service: 'shopify', operation },
      );
    }
    await client.sleep(intervalMs);
    intervalMs = Math.min(maxIntervalMs, Math.ceil(intervalMs * 1.5));
  }
}
