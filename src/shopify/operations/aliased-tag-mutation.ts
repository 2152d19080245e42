import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import type { TagChange, TagChangeResult } from '../tag-change.ts';
import { confirmTagFailures, type FailedTagChange } from './confirm-tag-failures.ts';

/** Shopify's published costs: a mutation field costs 10; one query may request at most 1,000. */
export const MUTATION_COST = 10;
export const MAX_SINGLE_QUERY_COST = 1000;

export type TagMutation = 'tagsAdd' | 'tagsRemove';

/**
 * A document with `count` aliased tag mutations, `t0` … `t{count-1}`, each taking its customer
 * and tags as variables (`$id0`, `$tags0`, …) so the document depends only on the count.
 *
 * @example
 * aliasedTagMutation('tagsAdd', 2)
 * // mutation TagsAddBatch2($id0: ID!, $tags0: [String!]!, $id1: ID!, $tags1: [String!]!) {
 * //   t0: tagsAdd(id: $id0, tags: $tags0) { userErrors { field message } } …
 */
export function aliasedTagMutation(mutation: TagMutation, count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const name = `${mutation === 'tagsAdd' ? 'TagsAdd' : 'TagsRemove'}Batch${count}`;
  const variables = indexes.map((i) => `$id${i}: ID!, $tags${i}: [String!]!`).join(', ');
  const fields = indexes.map((i) => `  t${i}: ${mutation}(id: $id${i}, tags: $tags${i}) { userErrors { field message } }`);
  return `mutation ${name}(${variables}) {\n${fields.join('\n')}\n}`;
}

/**
 * How many mutations one request may carry: what the single-query maximum and the learned
 * bucket size both allow.
 *
 * @example
 * aliasBatchSize(null) // 100
 * aliasBatchSize(500)  // 50
 */
export function aliasBatchSize(bucketSize: number | null): number {
  const budget = Math.min(MAX_SINGLE_QUERY_COST, bucketSize ?? MAX_SINGLE_QUERY_COST);
  return Math.max(1, Math.floor(budget / MUTATION_COST));
}

const payloadSchema = z.object({ userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })) }).nullable();

export interface AliasedTagMutationDeps {
  readonly client: ShopifyClient;
}

export interface AliasedTagMutationOptions {
  /** Called after each request with its results, e.g. to journal them. */
  readonly onBatch?: (results: readonly TagChangeResult[]) => void | Promise<void>;
}

/**
 * Sends tag changes as aliased mutations, as many per request as the cost budget allows, one
 * request at a time under the cost scheduler. userErrors, and an error naming one alias (its
 * field null), fail that customer only; what became of each refused change is confirmed by
 * looking at the customers (confirmTagFailures), never read from a message's wording.
 *
 * @example
 * const add = runAliasedTagMutation({ client }, 'tagsAdd');
 * await add([{ customerId: 'gid://shopify/Customer/1', tags: ['ltv:vip'] }]);
 */
export function runAliasedTagMutation(deps: AliasedTagMutationDeps, mutation: TagMutation) {
  const operation = mutation === 'tagsAdd' ? 'add tags' : 'remove tags';
  return async function applyTagChanges(
    changes: readonly TagChange[],
    options: AliasedTagMutationOptions = {},
  ): Promise<TagChangeResult[]> {
    const results: TagChangeResult[] = [];
    let next = 0;
    while (next < changes.length) {
      const size = Math.min(aliasBatchSize(deps.client.scheduler.snapshot().maximumAvailable), changes.length - next);
      const batch = changes.slice(next, next + size);
      const variables: Record<string, unknown> = {};
      batch.forEach((change, i) => {
        variables[`id${i}`] = change.customerId;
        variables[`tags${i}`] = change.tags;
      });
      const schema = z.object(Object.fromEntries(batch.map((_, i) => [`t${i}`, payloadSchema])));
      const { data, aliasErrors } = await deps.client.requestAliased({
        operation: `${operation} (${batch.length} customers)`,
        document: aliasedTagMutation(mutation, batch.length),
        variables,
        estimatedCost: batch.length * MUTATION_COST,
        data: schema,
      });
      const failed: FailedTagChange[] = [];
      batch.forEach((change, i) => {
        const payload = data[`t${i}`];
        const messages = aliasErrors.get(`t${i}`) ?? (payload ? payload.userErrors.map((error) => error.message) : ['no payload returned']);
        if (messages.length > 0) failed.push({ change, messages });
      });
      const confirmed = new Map((await confirmTagFailures(deps.client, mutation, failed)).map((result) => [result.customerId, result]));
      const batchResults = batch.map(
        (change): TagChangeResult => confirmed.get(change.customerId) ?? { customerId: change.customerId, tags: change.tags, outcome: 'applied', messages: [] },
      );
      await options.onBatch?.(batchResults);
      results.push(...batchResults);
      next += size;
    }
    return results;
  };
}
