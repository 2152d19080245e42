import { runBulkMutation } from '../bulk/run-bulk-mutation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import type { ShopifyClient } from '../client.ts';
import type { TagChange, TagChangeResult } from '../tag-change.ts';
import { confirmTagFailures, type FailedTagChange } from './confirm-tag-failures.ts';
import type { TagMutation } from './aliased-tag-mutation.ts';

/** The mutation run once per JSONL line; each line holds `{ "id": …, "tags": […] }`. */
export const BULK_TAGS_ADD_MUTATION = `mutation TagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;

export const BULK_TAGS_REMOVE_MUTATION = `mutation TagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
}`;

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
 * The large-change path for tags: one `tagsAdd` or `tagsRemove` bulk mutation over every
 * change, with one result per change (per-line userErrors: a deleted customer, one at the
 * 250-tag limit).
 *
 * @example
 * const bulk = runBulkTagMutation({ client });
 * const { results } = await bulk({ mutation: 'tagsAdd', changes, onOperationId: (id) => journal.save(id) });
 */
export function runBulkTagMutation(deps: RunBulkTagMutationDeps) {
  return async function applyInBulk(input: RunBulkTagMutationInput): Promise<BulkTagMutationSummary> {
    const { operationId, lineErrors } = await runBulkMutation(
      deps.client,
      {
        operation: `bulk ${input.mutation}`,
        mutation: input.mutation === 'tagsAdd' ? BULK_TAGS_ADD_MUTATION : BULK_TAGS_REMOVE_MUTATION,
        payloadField: input.mutation,
        lines: input.changes.map((change) => ({ id: change.customerId, tags: change.tags })),
        ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
        ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      },
      deps.poll,
    );
    const failed: FailedTagChange[] = [];
    input.changes.forEach((change, index) => {
      const messages = (lineErrors[index] ?? []).map((error) => error.message);
      if (messages.length > 0) failed.push({ change, messages });
    });
    const confirmed = new Map((await confirmTagFailures(deps.client, input.mutation, failed)).map((result) => [result.customerId, result]));
    const results = input.changes.map(
      (change): TagChangeResult => confirmed.get(change.customerId) ?? { customerId: change.customerId, tags: change.tags, outcome: 'applied', messages: [] },
    );
    return { operationId, results };
  };
}
