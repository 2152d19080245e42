/**
 * The mutations that start bulk operations and stage their variable files.
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 */
import type { Args } from '../graphql/execution-state.ts';
import { presentBulkOperation } from '../presenters/bulk-operation.ts';
import type { ResolverDeps } from './context.ts';

export function bulkWriteResolvers(deps: ResolverDeps): Record<string, unknown> {
  return {
    stagedUploadsCreate: ({ input }: Args) => createStagedUploads(deps, input as StagedUploadInput[]),
    bulkOperationRunQuery: ({ query, groupObjects }: Args) => {
      const { operation, userErrors } = deps.bulk().runQuery(String(query), groupObjects === true);
      return { bulkOperation: presentBulkOperation(operation), userErrors };
    },
    bulkOperationRunMutation: ({ mutation, stagedUploadPath }: Args) => {
      const { operation, userErrors } = deps.bulk().runMutation(String(mutation), String(stagedUploadPath));
      return { bulkOperation: presentBulkOperation(operation), userErrors };
    },
  };
}

interface StagedUploadInput {
  filename: string;
  mimeType: string;
  resource: string;
  httpMethod?: 'POST' | 'PUT' | null;
}

function createStagedUploads(deps: ResolverDeps, inputs: StagedUploadInput[]): Record<string, unknown> {
  const userErrors: { field: string[]; message: string }[] = [];
  const stagedTargets = inputs.map((input, index) => {
    if (input.resource !== 'BULK_MUTATION_VARIABLES') {
      userErrors.push({ field: ['input', String(index), 'resource'], message: `The sandbox only stages BULK_MUTATION_VARIABLES uploads, not ${input.resource}.` });
      return null;
    }
    return deps.uploads().createTarget({ filename: input.filename, mimeType: input.mimeType, httpMethod: input.httpMethod ?? 'PUT' });
  });
  if (userErrors.length > 0) return { stagedTargets: null, userErrors };
  return { stagedTargets, userErrors };
}
