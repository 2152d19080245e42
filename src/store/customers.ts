import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { ObservedCustomer } from '../core/customer.ts';
import { InternalError } from '../errors.ts';

/** A Shopify customer as last read: what reconcile needs to observe tags and compare segments. */
export type StoredCustomer = ObservedCustomer;

const storedCustomerSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullable(),
  tags: z.array(z.string()),
  rfmGroup: z.string().nullable(),
  predictedSpendTier: z.string().nullable(),
  updatedAt: z.number().int().nonnegative(),
});

export interface CustomerRepository {
  /** Inserts or replaces customers by id in one transaction (the latest read wins). */
  upsertCustomers(customers: readonly StoredCustomer[]): void;
  getCustomer(id: string): StoredCustomer | null;
  /** Every stored customer, by id. Do not write to the store while iterating. */
  iterateCustomers(): Generator<StoredCustomer>;
  countCustomers(): number;
}

type CustomerRow = [string, string | null, string, string | null, string | null, number];

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
    INSERT INTO customers (id, email, tags, rfm_group, predicted_spend_tier, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET email = excluded.email, tags = excluded.tags, rfm_group = excluded.rfm_group,
      predicted_spend_tier = excluded.predicted_spend_tier, updated_at = excluded.updated_at`);
  const selectColumns = 'SELECT id, email, tags, rfm_group, predicted_spend_tier, updated_at FROM customers';
  const all = db.prepare(`${selectColumns} ORDER BY id`).raw(true);
  const one = db.prepare(`${selectColumns} WHERE id = ?`).raw(true);
  const count = db.prepare('SELECT count(*) FROM customers').pluck(true);
  const upsertAll = db.transaction((customers: readonly StoredCustomer[]) => {
    for (const c of customers) {
      upsert.run(c.id, c.email, JSON.stringify(c.tags), c.rfmGroup, c.predictedSpendTier, c.updatedAt);
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
    getCustomer(id) {
      const row = one.get(id) as CustomerRow | undefined;
      return row ? rowToCustomer(row) : null;
    },
    *iterateCustomers() {
      for (const row of all.iterate() as Iterable<CustomerRow>) yield rowToCustomer(row);
    },
    countCustomers() {
      return count.get() as number;
    },
  };
}

function rowToCustomer([id, email, tags, rfmGroup, predictedSpendTier, updatedAt]: CustomerRow): StoredCustomer {
  return { id, email, tags: JSON.parse(tags) as string[], rfmGroup, predictedSpendTier, updatedAt };
}
