/**
 * What a bulk operation is, owned by the bulk module: the resolvers present these records and
 * call the port; they never define them. https://shopify.dev/docs/api/admin-graphql/2026-07/objects/BulkOperation
 */

export type BulkOperationType = 'QUERY' | 'MUTATION';
export type BulkOperationStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'EXPIRED';

export interface BulkOperationRecord {
  id: string;
  type: BulkOperationType;
  status: BulkOperationStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  /** The objects written before an operation FAILED (e.g. with TIMEOUT). */
  partialDataUrl: string | null;
  query: string;
}

/** How a bulk query's JSONL orders children when `groupObjects` is false: right after their parent, or anywhere. */
export type BulkGrouping = 'grouped' | 'scattered';

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: string;
}

/** What the resolvers may ask of the bulk operations. */
export interface BulkOperationsPort {
  runQuery(query: string, groupObjects: boolean): { operation: BulkOperationRecord | null; userErrors: BulkUserError[] };
  runMutation(mutation: string, stagedUploadPath: string): { operation: BulkOperationRecord | null; userErrors: BulkUserError[] };
  current(type: BulkOperationType): BulkOperationRecord | null;
  byId(id: string): BulkOperationRecord | null;
  /** Every operation of this app, oldest first (the `bulkOperations` connection sorts and filters them). */
  all(): BulkOperationRecord[];
}
