import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';
import { MAX_TAGS_PER_CUSTOMER, type TagChange, type TagChangeResult } from '../tag-change.ts';

/** `nodes(ids:)` takes at most 250 ids (input arrays are capped at 250); 100 keep the request cheap. */
const IDS_PER_REQUEST = 100;

export const CUSTOMER_TAGS_BY_ID_QUERY = `query CustomerTagsById($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Customer { id tags }
  }
}`;

const nodesSchema = z.object({ nodes: z.array(z.object({ id: z.string().optional(), tags: z.array(z.string()).optional() }).nullable()) });

export interface FailedTagChange {
  readonly change: TagChange;
  /** What Shopify answered (userErrors, or an error naming the change's alias). */
  readonly messages: readonly string[];
}

/**
 * Classifies tag changes Shopify refused by looking at the customers, not at the wording of the
 * refusal (userErrors of tagsAdd carry no code, and wording differs between Shopify and any
 * emulator): a customer `nodes(ids:)` does not return was deleted (`not-found`); one whose tags
 * and the added ones exceed 250 is at the limit (`tag-limit`); anything else is `rejected`.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/queries/nodes
 *
 * @example
 * await confirmTagFailures(client, 'tagsAdd', [{ change, messages: ['Invalid id'] }]); // [{ …, outcome: 'not-found' }]
 */
export async function confirmTagFailures(client: ShopifyClient, mutation: 'tagsAdd' | 'tagsRemove', failures: readonly FailedTagChange[]): Promise<TagChangeResult[]> {
  const results: TagChangeResult[] = [];
  for (let start = 0; start < failures.length; start += IDS_PER_REQUEST) {
    const chunk = failures.slice(start, start + IDS_PER_REQUEST);
    const { nodes } = await client.request({
      operation: `confirm ${chunk.length} refused tag changes`,
      document: CUSTOMER_TAGS_BY_ID_QUERY,
      variables: { ids: chunk.map((failure) => failure.change.customerId) },
      estimatedCost: 1 + chunk.length,
      data: nodesSchema,
    });
    chunk.forEach(({ change, messages }, index) => {
      const node = nodes[index];
      const base = { customerId: change.customerId, tags: change.tags, messages };
      if (!node?.id) return void results.push({ ...base, outcome: 'not-found' });
      const tags = new Set((node.tags ?? []).map((tag) => tag.toLowerCase()));
      for (const tag of change.tags) tags.add(tag.toLowerCase());
      results.push({ ...base, outcome: mutation === 'tagsAdd' && tags.size > MAX_TAGS_PER_CUSTOMER ? 'tag-limit' : 'rejected' });
    });
  }
  return results;
}
