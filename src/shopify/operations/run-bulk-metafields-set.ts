import { runBulkMutation } from '../bulk/run-bulk-mutation.ts';
import type { PollOptions } from '../bulk/poll-bulk-operation.ts';
import type { ShopifyClient } from '../client.ts';
import { METAFIELDS_PER_CALL, TIERSYNC_METAFIELD_NAMESPACE, type MetafieldResult, type MetafieldValue } from './set-metafields.ts';

/** Run once per JSONL line; each line holds one customer's metafields (at most 25). */
export const BULK_METAFIELDS_SET_MUTATION = `mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { userErrors { field message code elementIndex } }
}`;

export interface RunBulkMetafieldsSetDeps {
  readonly client: ShopifyClient;
  readonly poll?: PollOptions;
}

export interface RunBulkMetafieldsSetInput {
  readonly values: readonly MetafieldValue[];
  readonly resumeOperationId?: string;
  readonly onOperationId?: (id: string) => void | Promise<void>;
}

/**
 * The large-change path for `tiersync` metafields: one `metafieldsSet` bulk mutation, one line
 * per customer (chunks of 25), so that the call's atomicity never ties two customers together:
 * a deleted customer's line fails alone and its metafields are reported as rejected.
 *
 * @example
 * const bulk = runBulkMetafieldsSet({ client });
 * const results = await bulk({ values: [{ ownerId, key: 'tier', type: 'single_line_text_field', value: 'vip' }] });
 */
export function runBulkMetafieldsSet(deps: RunBulkMetafieldsSetDeps) {
  return async function setInBulk(input: RunBulkMetafieldsSetInput): Promise<{ operationId: string; results: MetafieldResult[] }> {
    const lines = groupByOwner(input.values);
    const { operationId, lineErrors } = await runBulkMutation(
      deps.client,
      {
        operation: 'bulk metafieldsSet',
        mutation: BULK_METAFIELDS_SET_MUTATION,
        payloadField: 'metafieldsSet',
        lines: lines.map((group) => ({
          metafields: group.map((value) => ({ ownerId: value.ownerId, namespace: value.namespace ?? TIERSYNC_METAFIELD_NAMESPACE, key: value.key, type: value.type, value: value.value })),
        })),
        ...(input.resumeOperationId !== undefined ? { resumeOperationId: input.resumeOperationId } : {}),
        ...(input.onOperationId ? { onOperationId: input.onOperationId } : {}),
      },
      deps.poll,
    );
    const results = lines.flatMap((group, line) => {
      const errors = lineErrors[line] ?? [];
      return group.map((value, index): MetafieldResult => {
        if (errors.length === 0) return { ownerId: value.ownerId, key: value.key, outcome: 'applied', messages: [] };
        const own = errors.filter((error) => error.elementIndex === index || error.elementIndex === null).map((error) => error.message);
        // metafieldsSet is atomic: a value without an error of its own was not written either.
        return { ownerId: value.ownerId, key: value.key, outcome: 'rejected', messages: own.length > 0 ? own : ['not written: another metafield of this customer was rejected'] };
      });
    });
    return { operationId, results };
  };
}

/** One group per owner, in first-seen order, split at 25 values. */
function groupByOwner(values: readonly MetafieldValue[]): MetafieldValue[][] {
  const byOwner = new Map<string, MetafieldValue[]>();
  for (const value of values) byOwner.set(value.ownerId, [...(byOwner.get(value.ownerId) ?? []), value]);
  const groups: MetafieldValue[][] = [];
  for (const group of byOwner.values()) {
    for (let start = 0; start < group.length; start += METAFIELDS_PER_CALL) groups.push(group.slice(start, start + METAFIELDS_PER_CALL));
  }
  return groups;
}
