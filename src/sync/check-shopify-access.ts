import { UserError } from '../errors.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import { fetchAccessScopes, HOW_TO_GRANT_SCOPES, missingScopes } from '../shopify/operations/fetch-access-scopes.ts';
import { fetchShopIdentity } from '../shopify/operations/fetch-shop-identity.ts';
import type { Store } from '../store/open-store.ts';

/**
 * Before the first read of a sync or plan: the token's app has every scope tiersync needs, and
 * the shop is the one the store holds (a store with no shop yet records this one). Either
 * failure stops the run (exit 1) before anything is pulled or written, because a missing
 * `read_all_orders` silently yields 60 days of orders and another shop's orders mixed into the
 * store would be taken for changes made by hand.
 *
 * @example
 * await checkShopifyAccess({ store, shopify }); // throws UserError naming the missing scope
 */
export async function checkShopifyAccess(deps: { store: Store; shopify: ShopifyClient }): Promise<void> {
  const missing = missingScopes(await fetchAccessScopes(deps.shopify));
  if (missing.length > 0) {
    const names = missing.join(', ');
    throw new UserError(
      `the Shopify app behind SHOPIFY_ADMIN_TOKEN lacks the access scope${missing.length > 1 ? 's' : ''} ${names}` +
        `${missing.includes('read_all_orders') ? ' (without read_all_orders Shopify serves only the last 60 days of orders)' : ''}; ` +
        `grant ${missing.length > 1 ? 'them' : 'it'} ${HOW_TO_GRANT_SCOPES}. Nothing was read or written.`,
    );
  }
  const live = await fetchShopIdentity(deps.shopify);
  const held = deps.store.shop.get();
  if (held === null) {
    deps.store.shop.record(live);
    return;
  }
  if (held.shopId !== live.shopId) {
    throw new UserError(
      `the store ${deps.store.path} holds the shop ${held.domain} (${held.shopId}), but SHOPIFY_ADMIN_TOKEN belongs to ${live.domain} (${live.shopId}); ` +
        'one store holds one shop: use another --store for this shop. Nothing was read or written.',
    );
  }
}
