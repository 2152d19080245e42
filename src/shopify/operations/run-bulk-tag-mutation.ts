import { z } from 'zod';
import { ApiError } from '../../http/errors.ts';
import { pollBulkOperation, type PollOptions } from '../bulk/poll-bulk-operation.ts';
import { parseJsonLine } from '../bulk/parse-json-line.ts';
import { uploadBulkVariables } from '../bulk/staged-upload.ts';
import type { ShopifyClient } from '../client.ts';
import { parseShape } from '../graphql-envelope.ts';
import { tagOutcome, type TagChange, type TagChangeResult } from '../tag-change.ts';
import type { TagMutation } from './aliased-tag-mutation.ts';

/** The mutation run once per JSONL line; each line holds `{ "id": …, "tags": […] }`. */
export const BULK_TAGS_ADD_MUTATION = `mutation TagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;

export const BULK_TAGS_REMOVE_MUTATION = `mutation TagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
}`;

export const RUN_BULK_MUTATION = `mutation RunBulkMutation($mutation: String!, $stagedUploadPath: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const runSchema = z.object({
  bulkOperationRunMutation: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable().optional() })),
  }),
});

const userErrorsSchema = z.object({ userErrors: z.array(z.object({ message: z.string() })) }).nullable();

/** One line of the result file: the mutation's data (or errors) and the input line it answers. */
const resultLineSchema = z.object({
  __lineNumber: z.number().int().nonnegative(),
  data: z.record(z.string(), userErrorsSchema).nullable().optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

export interface RunBulkTagMutationDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
}

export interface RunBulkTagMutationInput {
  readonly mutation: TagMutation;
  /** The changes, in the order of the uploaded file (a resumed run must pass the same list). */
  readonly changes: readonly TagChange[];
  /** A bulk mutation started by an earlier, interrupted run over the same changes. */
  readonly resumeOperationId?: string;
  readonly onOperationId?: (id: string) => void | Promise<void>;
}

export interface BulkTagMutationSummary {
  readonly operationId: string;
  readonly results: TagChangeResult[];
}

/**
 * The large-change path: the changes as a JSONL of variables, uploaded through
 * `stagedUploadsCreate`, run by `bulkOperationRunMutation` (one at a time per shop), polled,
 * and the result JSONL read back into one result per change (per-line userErrors included).
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 *
 * @example
 * const bulk = runBulkTagMutation({ client });
 * const { results } = await bulk({ mutation: 'tagsAdd', changes, onOperationId: (id) => journal.save(id) });
 */
export function runBulkTagMutation(deps: RunBulkTagMutationDeps) {
  return async function applyInBulk(input: RunBulkTagMutationInput): Promise<BulkTagMutationSummary> {
    const operation = `bulk ${input.mutation}`;
    const operationId = input.resumeOperationId ?? (await startBulkMutation(deps.client, input, operation));
    await input.onOperationId?.(operationId);
    const done = await pollBulkOperation(deps.client, operationId, operation, deps.poll);
    const messagesByLine = new Map<number, string[]>();
    if (done.url) {
      let lineNumber = 0;
      for await (const text of deps.client.files.lines(done.url, `${operation} result`)) {
        lineNumber++;
        const where = `line ${lineNumber}`;
        const line = parseShape(resultLineSchema, parseJsonLine(text, operation, where), operation, where);
        const payload = line.data?.[input.mutation];
        const messages = [
          ...(line.errors ?? []).map((error) => error.message),
          ...(payload?.userErrors ?? []).map((error) => error.message),
          ...(payload === undefined && !line.errors ? ['no result for this line'] : []),
        ];
        messagesByLine.set(line.__lineNumber, messages);
      }
    }
    const results = input.changes.map((change, index): TagChangeResult => {
      const messages = messagesByLine.get(index) ?? ['no result line for this change'];
      return { customerId: change.customerId, tags: change.tags, outcome: tagOutcome(messages), messages };
    });
    return { operationId, results };
  };
}

async function startBulkMutation(client: ShopifyClient, input: RunBulkTagMutationInput, operation: string): Promise<string> {
  const jsonl = input.changes.map((change) => JSON.stringify({ id: change.customerId, tags: change.tags })).join('\n') + '\n';
  const stagedUploadPath = await uploadBulkVariables(client, jsonl, operation);
  const { bulkOperationRunMutation: payload } = await client.request({
    operation: `${operation} start`,
    document: RUN_BULK_MUTATION,
    variables: {
      mutation: input.mutation === 'tagsAdd' ? BULK_TAGS_ADD_MUTATION : BULK_TAGS_REMOVE_MUTATION,
      stagedUploadPath,
    },
    estimatedCost: 10,
    data: runSchema,
  });
  if (payload.userErrors.length > 0 || !payload.bulkOperation) {
    const messages = payload.userErrors.map((error) => `${error.message}${error.code ? ` [${error.code}]` : ''}`);
    throw new ApiError(`bulk mutation refused: ${messages.join('; ') || 'no operation returned'}`, { service: 'shopify', operation });
  }
  return payload.bulkOperation.id;
}
