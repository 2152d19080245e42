import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';

/**
 * Starts a bulk query. `groupObjects: false`: Shopify's changelog ("Optional groupObjects
 * argument in bulk operations mutations") says grouping makes jobs slower and likelier to time
 * out; children then still come after their parent, only not directly after it.
 */
export const RUN_BULK_QUERY_MUTATION = `mutation RunBulkQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const userErrorSchema = z.object({
  field: z.array(z.string()).nullable(),
  message: z.string(),
  code: z.string().nullable().optional(),
});

const runSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(userErrorSchema),
  }),
});

/** A start refused because the app already runs its maximum of bulk queries (OPERATION_IN_PROGRESS, LIMIT_REACHED). */
export class BulkQueryBusyError extends ApiError {
  override name = 'BulkQueryBusyError';
}

const BUSY_CODES = new Set(['OPERATION_IN_PROGRESS', 'LIMIT_REACHED']);

/**
 * Runs `bulkOperationRunQuery` once (never resent: a lost answer throws OutcomeUnknownError) and
 * returns the new operation's id; too many running throws BulkQueryBusyError, any other refusal
 * (an invalid query) an ApiError carrying Shopify's messages.
 *
 * @example
 * const id = await startBulkQuery(client, ordersBulkQuery(), 'orders bulk query');
 */
export async function startBulkQuery(client: ShopifyClient, query: string, operation: string): Promise<string> {
  const { bulkOperationRunQuery: payload } = await client.request({
    operation: `${operation} start`,
    document: RUN_BULK_QUERY_MUTATION,
    variables: { query },
    estimatedCost: 10,
    data: runSchema,
    atMostOnce: true,
  });
  if (payload.userErrors.length > 0 || !payload.bulkOperation) {
    const messages = payload.userErrors.map((error) => `${error.message}${error.code ? ` [${error.code}]` : ''}`);
    const busy = payload.userErrors.some((error) => error.code && BUSY_CODES.has(error.code));
    throw new (busy ? BulkQueryBusyError : ApiError)(`bulk query refused: ${messages.join('; ') || 'no operation returned'}`, { service: 'shopify', operation });
  }
  return payload.bulkOperation.id;
}
