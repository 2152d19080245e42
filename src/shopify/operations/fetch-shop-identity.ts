import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';

export const SHOP_IDENTITY_QUERY = `query ShopIdentity {
  shop { id myshopifyDomain }
}`;

/** The `data` of SHOP_IDENTITY_QUERY's answer; doctor's probe reads the same. */
export const shopIdentitySchema = z.object({ shop: z.object({ id: z.string().min(1), myshopifyDomain: z.string().min(1) }) });

/**
 * The shop the token belongs to. https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Shop
 *
 * @example
 * await fetchShopIdentity(client); // { shopId: 'gid://shopify/Shop/1', domain: 'acme.myshopify.com' }
 */
export async function fetchShopIdentity(client: ShopifyClient): Promise<{ shopId: string; domain: string }> {
  const { shop } = await client.request({ operation: 'shop identity', document: SHOP_IDENTITY_QUERY, estimatedCost: 1, data: shopIdentitySchema });
  return { shopId: shop.id, domain: shop.myshopifyDomain };
}
