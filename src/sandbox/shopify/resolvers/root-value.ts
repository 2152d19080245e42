/**
 * The root value `graphql.execute` runs the Admin schema against: the queries and mutations
 * tiersync uses, gathered from the resolvers of each resource. Fields not served resolve to null.
 */
import { createConnections } from '../connections.ts';
import { createShopObjects } from '../presenters/shop-objects.ts';
import { appInstallationResolvers, orderVisible } from './access-scopes.ts';
import { bulkWriteResolvers } from './bulk-writes.ts';
import type { ResolverDeps } from './context.ts';
import { metafieldResolvers } from './metafields.ts';
import { bulkReadResolvers, customerResolvers, nodeResolvers, orderResolvers, shopResolvers } from './reads.ts';
import { segmentResolvers } from './segments.ts';
import { tagResolvers } from './tags.ts';

/**
 * @example
 * executeSync({ schema: adminSchema(), document: parse('{ shop { name } }'), rootValue: createAdminRootValue(deps), contextValue: { bulk: null } });
 */
export function createAdminRootValue(deps: ResolverDeps): Record<string, unknown> {
  const connections = createConnections(deps.store);
  const objects = createShopObjects({ store: deps.store, now: deps.now, connections, orderVisible: () => orderVisible(deps.scopes, deps.now()) });
  const reads = { ...deps, connections, objects };
  return {
    ...shopResolvers(reads),
    ...appInstallationResolvers(deps),
    ...orderResolvers(reads),
    ...customerResolvers(reads),
    ...nodeResolvers(reads),
    ...bulkReadResolvers(reads),
    ...tagResolvers(reads),
    ...metafieldResolvers(reads),
    ...bulkWriteResolvers(deps),
    ...segmentResolvers(reads),
  };
}
