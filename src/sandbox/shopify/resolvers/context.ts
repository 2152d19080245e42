/**
 * What every resolver is given: the shop's data, its identity, the clock, the write counters and
 * the ports of the bulk operations and staged uploads (created after the resolvers, hence getters).
 */
import type { ActivationStore } from '../activation-store.ts';
import type { BulkOperationsPort } from '../bulk/types.ts';
import type { ShopStore } from '../shop-store.ts';
import type { StagedUploadsPort } from '../uploads/staged-uploads.ts';

export interface WriteCounters {
  tags_added: number;
  tags_removed: number;
  metafields_set: number;
  metafields_deleted: number;
}

export interface ResolverDeps {
  store: ShopStore;
  /** `gid://shopify/Shop/<n>`: depends on the sandbox's seed and size, so two sandboxes are two shops. */
  shopId: string;
  shopDomain: string;
  /** The app's granted access scopes. */
  scopes: ReadonlySet<string>;
  now: () => number;
  writes: WriteCounters;
  bulk: () => BulkOperationsPort;
  uploads: () => StagedUploadsPort;
  /** Customer segments and metafield definitions. */
  activation: ActivationStore;
}
