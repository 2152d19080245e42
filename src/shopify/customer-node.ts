import type { ObservedCustomer } from '../core/customer.ts';
import { z } from 'zod';

/** The customer fields tiersync reads (observed tags and Shopify's own RFM statistics). */
export const CUSTOMER_FIELDS = `id
      defaultEmailAddress { emailAddress }
      tags
      updatedAt
      statistics { rfmGroup predictedSpendTier }`;

export const customerNodeSchema = z.object({
  id: z.string().min(1),
  defaultEmailAddress: z.object({ emailAddress: z.string().nullable() }).nullable(),
  tags: z.array(z.string()),
  updatedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a date-time'),
  statistics: z.object({ rfmGroup: z.string().nullable(), predictedSpendTier: z.string().nullable() }),
});

export type CustomerNode = z.infer<typeof customerNodeSchema>;

/** A Shopify customer as tiersync observes it (the shape the store keeps). */
export type ShopifyCustomer = ObservedCustomer;

/**
 * @example
 * customerFromNode({ id: 'gid://shopify/Customer/1', defaultEmailAddress: null, tags: [],
 *   updatedAt: '2026-01-01T00:00:00Z', statistics: { rfmGroup: null, predictedSpendTier: null } }).email // null
 */
export function customerFromNode(node: CustomerNode): ShopifyCustomer {
  return {
    id: node.id,
    email: node.defaultEmailAddress?.emailAddress ?? null,
    tags: node.tags,
    rfmGroup: node.statistics.rfmGroup,
    predictedSpendTier: node.statistics.predictedSpendTier,
    updatedAt: Date.parse(node.updatedAt),
  };
}
