import { z } from 'zod';
import type { ObservedCustomer } from '../core/customer.ts';
import { TIERSYNC_METAFIELD_KEYS } from '../reconcile/metafield-keys.ts';

/**
 * The customer fields tiersync reads: observed tags, Shopify's own RFM statistics, and
 * tiersync's metafields. Each metafield is an aliased `metafield(namespace:, key:)` (an object,
 * 1 point) rather than a `metafields` connection, so a bulk query still answers one whole
 * customer per JSONL line (a nested connection would scatter children across the file).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Customer#field-metafield
 *
 * @example
 * customerFields('tiersync'); // 'id … mf_tier: metafield(namespace: "tiersync", key: "tier") { value } …'
 */
export function customerFields(namespace: string): string {
  const metafields = TIERSYNC_METAFIELD_KEYS.map((key) => `mf_${key}: metafield(namespace: ${JSON.stringify(namespace)}, key: "${key}") { value }`);
  return ['id', 'defaultEmailAddress { emailAddress }', 'tags', 'updatedAt', 'statistics { rfmGroup predictedSpendTier }', ...metafields].join('\n      ');
}

/** Points one customer node costs: itself, defaultEmailAddress, statistics, and one per metafield. */
export const CUSTOMER_NODE_COST = 3 + TIERSYNC_METAFIELD_KEYS.length;

const metafieldValue = z.object({ value: z.string() }).nullable().optional();

export const customerNodeSchema = z.object({
  id: z.string().min(1),
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
  tags: z.array(z.string()),
  updatedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a date-time'),
  statistics: z.object({ rfmGroup: z.string().nullable(), predictedSpendTier: z.string().nullable() }),
  ...Object.fromEntries(TIERSYNC_METAFIELD_KEYS.map((key) => [`mf_${key}`, metafieldValue])),
});

export type CustomerNode = z.infer<typeof customerNodeSchema>;

/** A Shopify customer as tiersync observes it, with tiersync's metafields as they are live (key → value). */
export interface ShopifyCustomer extends ObservedCustomer {
  readonly metafields: Readonly<Record<string, string>>;
}

/**
 * @example
 * customerFromNode({ id: 'gid://shopify/Customer/1', defaultEmailAddress: null, tags: [],
 *   updatedAt: '2026-01-01T00:00:00Z', statistics: { rfmGroup: null, predictedSpendTier: null },
 *   mf_tier: { value: 'vip' } }).metafields // { tier: 'vip' }
 */
export function customerFromNode(node: CustomerNode): ShopifyCustomer {
  const metafields: Record<string, string> = {};
  for (const key of TIERSYNC_METAFIELD_KEYS) {
    const field = (node as Record<string, unknown>)[`mf_${key}`] as { value: string } | null | undefined;
    if (field) metafields[key] = field.value;
  }
  return {
    id: node.id,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    tags: node.tags,
    rfmGroup: node.statistics.rfmGroup,
    predictedSpendTier: node.statistics.predictedSpendTier,
    updatedAt: Date.parse(node.updatedAt),
    metafields,
  };
}
