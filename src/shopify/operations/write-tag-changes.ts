import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import type { ShopifyClient } from '../client.ts';
import type { TagChange, TagChangeResult } from '../tag-change.ts';
import { runAliasedTagMutation, type TagMutation } from './aliased-tag-mutation.ts';
import { runBulkTagMutation } from './run-bulk-tag-mutation.ts';

/**
 * From this many changed customers on, tags are written with one bulk mutation instead of
 * aliased mutations. Chosen from `npm run bench` (scripts/bench-shopify.ts) against the sandbox on
 * a Standard plan: the aliased path is capped by the restore rate at 100 points/s ÷ 10 points a
 * mutation = 10 customers a second, while a bulk mutation costs a fixed few seconds (staged
 * upload, start, polls, result download) plus Shopify's own per-line time. The two take equally
 * long near a few hundred customers; below that aliased batches finish sooner and need no
 * polling, above it the bulk path wins and its API calls per customer fall towards zero.
 */
export const BULK_TAG_MUTATION_THRESHOLD = 500;

export interface WriteTagChangesDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
}

export interface WriteTagChangesInput {
  readonly mutation: TagMutation;
  readonly changes: readonly TagChange[];
  /** Overrides `BULK_TAG_MUTATION_THRESHOLD` (config). */
  readonly bulkThreshold?: number;
  /** Called with a bulk mutation's id as soon as it exists (journal it to resume). */
  readonly onBulkOperationId?: (id: string) => void | Promise<void>;
  /** A bulk mutation of an interrupted run over the same changes, to resume. */
  readonly resumeBulkOperationId?: string;
  /** Called after each aliased request with its results. */
  readonly onBatch?: (results: readonly TagChangeResult[]) => void | Promise<void>;
}

export interface WriteTagChangesSummary {
  readonly path: 'aliased' | 'bulk';
  readonly results: TagChangeResult[];
}

/**
 * Writes tag changes on the path that suits their number: aliased mutations for small change
 * sets, a bulk mutation from the threshold on (or when resuming one).
 *
 * @example
 * const write = writeTagChanges({ client });
 * const { path, results } = await write({ mutation: 'tagsAdd', changes });
 */
export function writeTagChanges(deps: WriteTagChangesDeps) {
  const aliased = { tagsAdd: runAliasedTagMutation(deps, 'tagsAdd'), tagsRemove: runAliasedTagMutation(deps, 'tagsRemove') };
  const bulk = runBulkTagMutation(deps);
  return async function writeChanges(input: WriteTagChangesInput): Promise<WriteTagChangesSummary> {
    const threshold = input.bulkThreshold ?? BULK_TAG_MUTATION_THRESHOLD;
    if (input.changes.length === 0) return { path: 'aliased', results: [] };
    if (input.resumeBulkOperationId === undefined && input.changes.length < threshold) {
      const results = await aliased[input.mutation](input.changes, input.onBatch ? { onBatch: input.onBatch } : {});
      return { path: 'aliased', results };
    }
    const { results } = await bulk({
      mutation: input.mutation,
      changes: input.changes,
      ...(input.resumeBulkOperationId !== undefined ? { resumeOperationId: input.resumeBulkOperationId } : {}),
      ...(input.onBulkOperationId ? { onOperationId: input.onBulkOperationId } : {}),
    });
    return { path: 'bulk', results };
  };
}
