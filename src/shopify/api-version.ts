import { ApiVersion } from '@shopify/shopify-api';

/** The Admin API version tiersync is written and validated against (docs/DESIGN.md "Rate limits"). */
export const SHOPIFY_API_VERSION: string = ApiVersion.July26;

/**
 * The Admin GraphQL endpoint of a shop. `baseUrl` (TIERSYNC_SHOPIFY_URL, e.g. the sandbox's
 * `http://127.0.0.1:PORT`) replaces `https://{shop}`; `shop` may be given with or without
 * `.myshopify.com`.
 *
 * @example
 * adminGraphqlUrl('acme') // 'https://acme.myshopify.com/admin/api/2026-07/graphql.json'
 * adminGraphqlUrl('acme', 'http://127.0.0.1:4100') // 'http://127.0.0.1:4100/admin/api/2026-07/graphql.json'
 */
export function adminGraphqlUrl(shop: string, baseUrl?: string): string {
  const base = baseUrl ? baseUrl.replace(/\/+$/, '') : `https://${shopDomain(shop)}`;
  return `${base}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
}

/** `acme` → `acme.myshopify.com`; a full domain is kept as given. */
export function shopDomain(shop: string): string {
  const trimmed = shop.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return trimmed.includes('.') ? trimmed : `${trimmed}.myshopify.com`;
}
