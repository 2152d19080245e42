import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import { aliasBatchSize, MUTATION_COST } from './aliased-tag-mutation.ts';

/** tiersync's customer metafields live in this namespace (docs/DESIGN.md "Outputs"). */
export const TIERSYNC_METAFIELD_NAMESPACE = 'tiersync';

/** `metafieldsSet` takes at most 25 metafields a call (its schema description). */
export const METAFIELDS_PER_CALL = 25;

export interface MetafieldValue {
  /** `gid://shopify/Customer/<id>`. */
  readonly ownerId: string;
  /** Default `tiersync` (config `shopify.metafield_namespace`). */
  readonly namespace?: string;
  /** e.g. `tier`, `ltv`, `churn_risk`. */
  readonly key: string;
  /** A Shopify metafield type, e.g. `single_line_text_field`, `number_integer`, `number_decimal`. */
  readonly type: string;
  readonly value: string;
}

export interface MetafieldResult {
  readonly ownerId: string;
  readonly key: string;
  readonly outcome: 'applied' | 'rejected';
  readonly messages: readonly string[];
}

/**
 * `count` aliased `metafieldsSet` calls, `m0` … , each with up to 25 metafields.
 *
 * @example
 * aliasedMetafieldsSet(1)
 * // mutation MetafieldsSetBatch1($m0: [MetafieldsSetInput!]!) { m0: metafieldsSet(metafields: $m0) { … } }
 */
export function aliasedMetafieldsSet(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const variables = indexes.map((i) => `$m${i}: [MetafieldsSetInput!]!`).join(', ');
  const fields = indexes.map(
    (i) => `  m${i}: metafieldsSet(metafields: $m${i}) { userErrors { field message code elementIndex } }`,
  );
  return `mutation MetafieldsSetBatch${count}(${variables}) {\n${fields.join('\n')}\n}`;
}

const payloadSchema = z
  .object({
    userErrors: z.array(
      z.object({
        field: z.array(z.string()).nullable(),
        message: z.string(),
        code: z.string().nullable(),
        elementIndex: z.number().int().nullable(),
      }),
    ),
  })
  .nullable();

export interface SetMetafieldsDeps {
  readonly client: ShopifyClient;
}

/**
 * Writes `tiersync` metafields: chunks of 25 per `metafieldsSet`, as many aliased calls per
 * request as the cost budget allows. `metafieldsSet` is atomic, so a chunk with a userError
 * (a deleted customer) changed nothing: the elements named by `elementIndex` are reported as
 * rejected and the rest of that chunk is sent again. An error naming one call's alias (its
 * field null) fails that call only: its values are sent again one by one.
 *
 * @example
 * const write = setMetafields({ client });
 * await write([{ ownerId: 'gid://shopify/Customer/1', key: 'tier', type: 'single_line_text_field', value: 'vip' }]);
 */
export function setMetafields(deps: SetMetafieldsDeps) {
  return async function writeMetafields(values: readonly MetafieldValue[]): Promise<MetafieldResult[]> {
    const results: MetafieldResult[] = [];
    let queue: MetafieldValue[][] = chunk(values, METAFIELDS_PER_CALL);
    while (queue.length > 0) {
      const size = Math.min(aliasBatchSize(deps.client.scheduler.snapshot().maximumAvailable), queue.length);
      const batch = queue.slice(0, size);
      queue = queue.slice(size);
      const variables = Object.fromEntries(
        batch.map((group, i) => [
          `m${i}`,
          group.map((value) => ({ ownerId: value.ownerId, namespace: value.namespace ?? TIERSYNC_METAFIELD_NAMESPACE, key: value.key, type: value.type, value: value.value })),
        ]),
      );
      const { data, aliasErrors } = await deps.client.requestAliased({
        operation: `set metafields (${batch.length} calls)`,
        document: aliasedMetafieldsSet(batch.length),
        variables,
        estimatedCost: batch.length * MUTATION_COST,
        data: z.object(Object.fromEntries(batch.map((_, i) => [`m${i}`, payloadSchema]))),
      });
      batch.forEach((group, i) => {
        const aliasError = aliasErrors.get(`m${i}`);
        if (aliasError) {
          // An error naming the call cannot be pinned on one value: each is sent alone, so only the one at fault fails.
          if (group.length > 1) queue.push(...group.map((value) => [value]));
          else for (const value of group) results.push({ ownerId: value.ownerId, key: value.key, outcome: 'rejected', messages: aliasError });
          return;
        }
        const errors = data[`m${i}`]?.userErrors ?? [];
        if (errors.length === 0) {
          for (const value of group) results.push({ ownerId: value.ownerId, key: value.key, outcome: 'applied', messages: [] });
          return;
        }
        const rejected = new Map<number, string[]>();
        for (const error of errors) {
          // An error without an element index cannot be pinned on one value: the whole chunk fails.
          const indexes = error.elementIndex === null ? group.map((_, index) => index) : [error.elementIndex];
          for (const index of indexes) rejected.set(index, [...(rejected.get(index) ?? []), error.message]);
        }
        group.forEach((value, index) => {
          const messages = rejected.get(index);
          if (messages) results.push({ ownerId: value.ownerId, key: value.key, outcome: 'rejected', messages });
        });
        const retry = group.filter((_, index) => !rejected.has(index));
        if (retry.length > 0) queue.push(retry);
      });
    }
    return results;
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
