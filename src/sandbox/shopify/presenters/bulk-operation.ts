/** A bulk operation record as the `BulkOperation` object. https://shopify.dev/docs/api/admin-graphql/2026-07/objects/BulkOperation */
import type { BulkOperationRecord } from '../bulk/types.ts';

/** @example presentBulkOperation(record).status; // 'RUNNING' */
export function presentBulkOperation(record: BulkOperationRecord | null): Record<string, unknown> | null {
  if (!record) return null;
  return {
    __typename: 'BulkOperation',
    id: record.id,
    type: record.type,
    status: record.status,
    errorCode: record.errorCode,
    createdAt: record.createdAt,
    completedAt: record.completedAt,
    // UnsignedInt64 is serialized as a string by the Admin API.
    objectCount: String(record.objectCount),
    rootObjectCount: String(record.rootObjectCount),
    fileSize: record.fileSize === null ? null : String(record.fileSize),
    url: record.url,
    partialDataUrl: record.partialDataUrl,
    query: record.query,
  };
}
