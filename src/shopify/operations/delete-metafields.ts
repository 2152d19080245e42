import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import { MUTATION_COST } from './aliased-tag-mutation.ts';
import { TIERSYNC_METAFIELD_NAMESPACE } from './set-metafields.ts';

/**
 * Identifiers per `metafieldsDelete` call. Shopify documents no maximum ("at least one
 * identifier must be specified"); tiersync stays at metafieldsSet's 25 a call.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsDelete
 */
export const METAFIELDS_PER_DELETE = 25;

export const METAFIELDS_DELETE_MUTATION = `mutation MetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) { deletedMetafields { ownerId namespace key } userErrors { field message } }
}`;

export interface MetafieldIdentifier {
  /** `gid://shopify/Customer/<id>`. */
  readonly ownerId: string;
  readonly namespace?: string;
  readonly key: string;
}

const dataSchema = z.object({
  metafieldsDelete: z
    .object({ userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() })) })
    .nullable(),
});

/**
 * Deletes metafields, 25 identifiers a call. A metafield that does not exist is not an error
 * (Shopify answers null for it), so deleting twice is safe; a call with userErrors is reported
 * for every owner in it.
 *
 * @example
 * const rejected = await deleteMetafields({ client })([{ ownerId: 'gid://shopify/Customer/1', key: 'tier' }]);
 */
export function deleteMetafields(deps: { readonly client: ShopifyClient }) {
  return async function remove(identifiers: readonly MetafieldIdentifier[]): Promise<Map<string, string>> {
    const rejected = new Map<string, string>();
    for (let start = 0; start < identifiers.length; start += METAFIELDS_PER_DELETE) {
      const chunk = identifiers.slice(start, start + METAFIELDS_PER_DELETE);
      const data = await deps.client.request({
        operation: 'delete metafields',
        document: METAFIELDS_DELETE_MUTATION,
        variables: { metafields: chunk.map((m) => ({ ownerId: m.ownerId, namespace: m.namespace ?? TIERSYNC_METAFIELD_NAMESPACE, key: m.key })) },
        estimatedCost: MUTATION_COST,
        data: dataSchema,
      });
      const errors = data.metafieldsDelete?.userErrors ?? [];
      if (errors.length) for (const m of chunk) rejected.set(m.ownerId, errors.map((e) => e.message).join('; '));
    }
    return rejected;
  };
}
