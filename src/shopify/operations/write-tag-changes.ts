import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import type { ShopifyClient } from '../client.ts';
import type { TagChange, TagChangeResult } from '../tag-change.ts';
import { runAliasedTagMutation, type TagMutation } from './aliased-tag-mutation.ts';
import { runBulkTagMutation } from './run-bulk-tag-mutation.ts';

/**
 * From this many changed customers on, tags are written with one bulk mutation instead of
 * aliased mutations. Measured by scripts/bench-shopify.ts against the sandbox, Standard plan
 * (restore 100 points/s, bucket 2,000): the aliased path ran at 99.6% of its ceiling of
 * 10 customers a second after the bucket's first 200 (so n customers take (10 n − 2,000) / 100
 * seconds); a bulk mutation took 1.5–5.2 s of fixed cost (staged upload, start, polls, result
 * download) plus 0.7–2.2 ms a customer (100,000 customers: 74–225 s across six runs). The two
 * cross at 217–241 customers; 250 is the first round number above, so a small change set never
 * waits on a bulk job it would not win. Larger plans restore faster, which moves the crossover up; the
 * threshold is a config setting.
 */
export const BULK_TAG_MUTATION_THRESHOLD = 250;

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
