import { z } from 'zod';
import type { ShopifyClient } from '../client.ts';

/**
 * The access scopes tiersync needs, each with why: without `read_all_orders` Shopify answers
 * only the last 60 days of orders, silently (the Order object's note), and `write_customers`
 * covers tags, metafields, segments and metafield definitions on customers.
 * https://shopify.dev/docs/api/usage/access-scopes
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Order
 */
export const REQUIRED_SCOPES: Readonly<Record<string, string>> = {
  read_orders: 'read orders',
  read_all_orders: 'read orders older than 60 days (the whole history)',
  read_customers: 'read customers and their tags',
  write_customers: 'write customer tags and metafields',
};

/** How a merchant grants scopes to a custom app (Shopify admin), said wherever one is missing. */
export const HOW_TO_GRANT_SCOPES =
  'in the Shopify admin, Settings > Apps and sales channels > Develop apps > your custom app > Configuration > Admin API integration: ' +
  'tick the scope, save, then reinstall the app (API credentials > Install app) so the token carries it';

export const ACCESS_SCOPES_QUERY = `query AccessScopes {
  currentAppInstallation {
    accessScopes { handle }
  }
}`;

const answer = z.object({ currentAppInstallation: z.object({ accessScopes: z.array(z.object({ handle: z.string() })) }) });

/**
 * The scopes granted to the app whose token is used, by handle, sorted.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/AppInstallation#field-accessScopes
 *
 * @example
 * await fetchAccessScopes(client); // ['read_all_orders', 'read_customers', 'read_orders', 'write_customers']
 */
export async function fetchAccessScopes(client: ShopifyClient): Promise<string[]> {
  const data = await client.request({ operation: 'access scopes', document: ACCESS_SCOPES_QUERY, estimatedCost: 2, data: answer });
  return data.currentAppInstallation.accessScopes.map((scope) => scope.handle).sort();
}

/**
 * The required scopes not granted, sorted. A write scope grants its read scope
 * (`write_customers` implies `read_customers`), as Shopify documents.
 *
 * @example
 * missingScopes(['read_orders']); // ['read_all_orders', 'read_customers', 'write_customers']
 * missingScopes(['read_orders', 'read_all_orders', 'write_customers']); // []
 */
export function missingScopes(granted: readonly string[]): string[] {
  const have = new Set(granted);
  const grants = (scope: string) => have.has(scope) || (scope.startsWith('read_') && have.has(`write_${scope.slice('read_'.length)}`));
  return Object.keys(REQUIRED_SCOPES).filter((scope) => !grants(scope)).sort();
}
