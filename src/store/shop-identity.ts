/**
 * The one shop a store holds (`shop { id myshopifyDomain }`, recorded by the first run). A
 * store is another shop's history once a second shop's orders are mixed in, so the identity is
 * checked before anything is read or written (issue 11: "a store holds another shop").
 */
import type Database from 'better-sqlite3';

export interface ShopIdentity {
  /** `gid://shopify/Shop/<n>`. */
  readonly shopId: string;
  /** e.g. `acme.myshopify.com`. */
  readonly domain: string;
}

export interface ShopIdentityRepository {
  get(): ShopIdentity | null;
  /** Records the shop; the store must not hold another one (the caller checks first). */
  record(identity: ShopIdentity): void;
}

/** @example createShopIdentityRepository(db).get(); // { shopId: 'gid://shopify/Shop/1', domain: 'acme.myshopify.com' } */
export function createShopIdentityRepository(db: Database.Database): ShopIdentityRepository {
  const select = db.prepare<[], { shop_id: string; domain: string }>('SELECT shop_id, domain FROM shop_identity WHERE singleton = 1');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO shop_identity (singleton, shop_id, domain) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET shop_id = excluded.shop_id, domain = excluded.domain',
  );
  return {
    get() {
      const row = select.get();
      return row ? { shopId: row.shop_id, domain: row.domain } : null;
    },
    record(identity) {
      upsert.run(identity.shopId, identity.domain);
    },
  };
}
