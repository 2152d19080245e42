import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';

/**
 * The app's ten newest bulk queries with their status and query text (`bulkOperations`
 * replaces the deprecated `currentBulkOperation` since 2026-01; newest first by default). The
 * status is checked here rather than in the search string, which keeps the search to one term.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/bulkOperations
 */
export const RUNNING_BULK_QUERIES_QUERY = `query RunningBulkQueries {
  bulkOperations(first: 10, query: "operation_type:query", sortKey: CREATED_AT) {
    nodes { id status query }
  }
}`;

const runningSchema = z.object({
  bulkOperations: z.object({ nodes: z.array(z.object({ id: z.string(), status: z.string(), query: z.string() })) }),
});

/**
 * The id of a running (or created) bulk query whose document is `query`, or null: the one a
 * start whose answer was lost, or an earlier run that lost its id, left going.
 *
 * @example
 * await findRunningBulkQuery(client, ordersBulkQuery()); // 'gid://shopify/BulkOperation/41' or null
 */
export async function findRunningBulkQuery(client: ShopifyClient, query: string, operation: string): Promise<string | null> {
  const { bulkOperations } = await client.request({
    operation: `${operation} running`,
    document: RUNNING_BULK_QUERIES_QUERY,
    estimatedCost: 2 + 10,
    data: runningSchema,
  });
  return bulkOperations.nodes.find((node) => (node.status === 'RUNNING' || node.status === 'CREATED') && node.query === query)?.id ?? null;
}
