/**
 * Access scopes of the app the sandbox serves. Without `read_all_orders` only the last 60 days
 * of orders are visible (the Order object's note: "Only the last 60 days' worth of orders from a
 * store are accessible from the Order object by default"), without a field's scope the field is
 * null with an `ACCESS_DENIED` error naming the scope, as Shopify answers
 * (`Access denied for tagsAdd field. Required access: \`write_customers\` access scope.`).
 * https://shopify.dev/docs/api/admin-graphql/2026-07/objects/Order
 * https://shopify.dev/docs/api/usage/access-scopes
 */
import { GraphQLError } from 'graphql';
import type { OrderRow } from '../shop-store.ts';

/** The scopes tiersync needs; the sandbox grants them unless told otherwise (`--scopes`). */
export const DEFAULT_SANDBOX_SCOPES: readonly string[] = ['read_all_orders', 'read_customers', 'read_orders', 'write_customers'];

/** Orders older than this are hidden without `read_all_orders`. */
export const ORDERS_WITHOUT_READ_ALL_DAYS = 60;
const DAY_MS = 86_400_000;
const ACCESS_SCOPES_DOC = 'https://shopify.dev/api/usage/access-scopes';

/** A write scope implies its read scope (`write_customers` grants `read_customers`), as Shopify documents. */
function grants(scopes: ReadonlySet<string>, scope: string): boolean {
  return scopes.has(scope) || (scope.startsWith('read_') && scopes.has(`write_${scope.slice('read_'.length)}`));
}

/**
 * Throws the ACCESS_DENIED error for `field` unless `scope` is granted.
 *
 * @example
 * requireScope(new Set(['read_orders']), 'write_customers', 'tagsAdd'); // throws ACCESS_DENIED
 */
export function requireScope(scopes: ReadonlySet<string>, scope: string, field: string): void {
  if (grants(scopes, scope)) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: { code: 'ACCESS_DENIED', documentation: ACCESS_SCOPES_DOC, requiredAccess: `\`${scope}\` access scope.` },
  });
}

/**
 * Whether an order is visible with these scopes at `now`: every order with `read_all_orders`,
 * else those created in the last 60 days.
 *
 * @example
 * orderVisible(new Set(['read_orders']), Date.now())(order);
 */
export function orderVisible(scopes: ReadonlySet<string>, now: number): (row: OrderRow) => boolean {
  if (scopes.has('read_all_orders')) return () => true;
  const oldest = now - ORDERS_WITHOUT_READ_ALL_DAYS * DAY_MS;
  return (row) => Date.parse(row.createdAt) >= oldest;
}

/** `currentAppInstallation { accessScopes { handle description } }`. https://shopify.dev/docs/api/admin-graphql/2026-07/objects/AppInstallation */
export function appInstallationResolvers(deps: { scopes: ReadonlySet<string> }): Record<string, unknown> {
  return {
    currentAppInstallation: () => ({
      __typename: 'AppInstallation',
      id: 'gid://shopify/AppInstallation/1',
      accessScopes: [...deps.scopes].sort().map((handle) => ({ __typename: 'AccessScope', handle, description: `The sandbox grants ${handle}.` })),
    }),
  };
}
