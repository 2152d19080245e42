import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ObservedCustomer } from '../core/customer.ts';
import { InternalError } from '../errors.ts';

/**
 * A Shopify customer as last read: what reconcile needs to observe tags and metafields and the
 * report to compare segments. `metafields`: tiersync's as read (key → value); absent when the
 * read did not include them.
 */
export interface StoredCustomer extends ObservedCustomer {
  readonly metafields?: Readonly<Record<string, string>>;
}

const storedCustomerSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  rfmGroup: z.string().nullable(),
  predictedSpendTier: z.string().nullable(),
  updatedAt: z.number().int().nonnegative(),
  metafields: z.record(z.string(), z.string()).optional(),
});

export interface CustomerRepository {
  /**
   * Inserts or replaces customers by id in one transaction (the latest read wins). A customer
   * whose fields are unchanged but for Shopify's `updatedAt` is not rewritten (nothing reads it
   * but the row's own history; tiersync's own tag writes move it on every customer). Tags are
   * kept in canonicalTags order, so the same set is always stored the same way.
   */
  upsertCustomers(customers: readonly StoredCustomer[]): void;
  getCustomer(id: string): StoredCustomer | null;
  /** Forgets customers (deleted in Shopify), in one transaction. */
  deleteCustomers(ids: readonly string[]): void;
  /** Up to `limit` customers with an id after `afterId` (null: from the first), by id: pages that leave the store free to write in between. */
  customersAfter(afterId: string | null, limit: number): StoredCustomer[];
  /** Every stored customer, by id. Do not write to the store while iterating. */
  iterateCustomers(): Generator<StoredCustomer>;
  countCustomers(): number;
}

type CustomerRow = [string, string | null, string, string | null, string | null, number, string | null];

/**
 * Customer persistence over an open, migrated database.
 *
 * @example
 * const customers = createCustomerRepository(db);
 * customers.upsertCustomers([{ id: '7100000001', email: 'a@example.com', tags: ['wholesale'],
 *   rfmGroup: 'CHAMPIONS', predictedSpendTier: 'HIGH', updatedAt: Date.UTC(2026, 0, 1) }]);
 */
export function createCustomerRepository(db: Database.Database): CustomerRepository {
  const upsert = db.prepare(`
    INSERT INTO customers (id, email, tags, rfm_group, predicted_spend_tier, updated_at, metafields) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET email = excluded.email, tags = excluded.tags, rfm_group = excluded.rfm_group,
      predicted_spend_tier = excluded.predicted_spend_tier, updated_at = excluded.updated_at, metafields = excluded.metafields
    WHERE customers.email IS NOT excluded.email OR customers.tags != excluded.tags OR customers.rfm_group IS NOT excluded.rfm_group
      OR customers.predicted_spend_tier IS NOT excluded.predicted_spend_tier OR customers.metafields IS NOT excluded.metafields`);
  const selectColumns = 'SELECT id, email, tags, rfm_group, predicted_spend_tier, updated_at, metafields FROM customers';
  const all = db.prepare(`${selectColumns} ORDER BY id`).raw(true);
  const one = db.prepare(`${selectColumns} WHERE id = ?`).raw(true);
  const first = db.prepare(`${selectColumns} ORDER BY id LIMIT ?`).raw(true);
  const after = db.prepare(`${selectColumns} WHERE id > ? ORDER BY id LIMIT ?`).raw(true);
  const count = db.prepare('SELECT count(*) FROM customers').pluck(true);
  const remove = db.prepare('DELETE FROM customers WHERE id = ?');
  const removeAll = db.transaction((ids: readonly string[]) => {
    for (const id of ids) remove.run(id);
  });
  const upsertAll = db.transaction((customers: readonly StoredCustomer[]) => {
    for (const c of customers) {
      upsert.run(c.id, c.email, JSON.stringify(canonicalTags(c.tags)), c.rfmGroup, c.predictedSpendTier, c.updatedAt, c.metafields ? encodeMetafields(c.metafields) : null);
    }
  });

  return {
    upsertCustomers(customers) {
      customers.forEach((customer, index) => {
        const result = storedCustomerSchema.safeParse(customer);
        if (!result.success) {
          throw new InternalError(
            `order store: customer ${index} (${String(customer?.id)}) is invalid: ${z.prettifyError(result.error)}`,
          );
        }
      });
      upsertAll(customers);
    },
    deleteCustomers(ids) {
      removeAll(ids);
    },
    getCustomer(id) {
      const row = one.get(id) as CustomerRow | undefined;
      return row ? rowToCustomer(row) : null;
    },
    customersAfter(afterId, limit) {
      const rows = (afterId === null ? first.all(limit) : after.all(afterId, limit)) as CustomerRow[];
      return rows.map(rowToCustomer);
    },
    *iterateCustomers() {
      for (const row of all.iterate() as Iterable<CustomerRow>) yield rowToCustomer(row);
    },
    countCustomers() {
      return count.get() as number;
    },
  };
}

function rowToCustomer([id, email, tags, rfmGroup, predictedSpendTier, updatedAt, metafields]: CustomerRow): StoredCustomer {
  const customer = { id, email, tags: JSON.parse(tags) as string[], rfmGroup, predictedSpendTier, updatedAt };
  return metafields === null ? customer : { ...customer, metafields: JSON.parse(metafields) as Record<string, string> };
}

/**
 * A tag list as Shopify keeps it: trimmed, unique case-insensitively (the first spelling wins),
 * ordered case-insensitively (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd).
 * The order is by code point, not locale, so it is the same on every machine.
 *
 * @example
 * canonicalTags(['vip', 'B', ' VIP']); // ['B', 'vip']
 */
export function canonicalTags(tags: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    const key = tag.toLowerCase();
    if (tag !== '' && !byKey.has(key)) byKey.set(key, tag);
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, tag]) => tag);
}

/** Keys sorted, so that the same metafields are stored identically (and an unchanged customer is not rewritten). */
function encodeMetafields(metafields: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(metafields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
