import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.ts';
import { createAppliedStateRepository, type AppliedStateRepository } from './applied-state.ts';
import { createBulkLineSpill, type BulkLineSpill } from './bulk-line-spill.ts';
import { createCursorRepository, type CursorRepository } from './cursors.ts';
import { createCustomerRepository, type CustomerRepository } from './customers.ts';
import { createHoldoutRepository, type HoldoutRepository } from './holdouts.ts';
import { createJournal, type Journal } from './journal.ts';
import { createListHistoryRepository, type ListHistoryRepository } from './list-history.ts';
import { migrate } from './migrations.ts';
import { createModelFitRepository, type ModelFitRepository } from './model-fits.ts';
import { createOrderRepository, type OrderRepository } from './orders.ts';
import { createRunLock, type RunLock } from './run-lock.ts';
import { createRunRepository, type RunRepository } from './runs.ts';
import { createShopIdentityRepository, type ShopIdentityRepository } from './shop-identity.ts';
import { createSnapshotRepository, type SnapshotRepository } from './snapshots.ts';

export interface Store {
  readonly path: string;
  readonly orders: OrderRepository;
  readonly customers: CustomerRepository;
  readonly cursors: CursorRepository;
  readonly runs: RunRepository;
  readonly lock: RunLock;
  readonly applied: AppliedStateRepository;
  readonly journal: Journal;
  readonly snapshots: SnapshotRepository;
  /** The one shop this store holds. */
  readonly shop: ShopIdentityRepository;
  /** Line items of a bulk export waiting for their order. */
  readonly bulkLineSpill: BulkLineSpill;
  readonly holdouts: HoldoutRepository;
  readonly modelFits: ModelFitRepository;
  readonly listHistory: ListHistoryRepository;
  /**
   * Copies the WAL back into the database file and truncates it (after a run: the WAL would
   * otherwise keep the run's pages until the next automatic checkpoint).
   */
  checkpoint(): void;
  /** Runs `fn` in one transaction (nested calls join it), e.g. confirm a batch and record its applied state together. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  /** Clock for run, lock and journal timestamps; epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * The store file of a shop, `./.tiersync/<shop>.db` under `baseDir`; characters that are not
 * safe in a file name are replaced by `_`.
 *
 * @example
 * defaultStorePath('demo.myshopify.com'); // '.tiersync/demo.myshopify.com.db'
 */
export function defaultStorePath(shop: string, baseDir = '.'): string {
  return join(baseDir, '.tiersync', `${shop.replace(/[^A-Za-z0-9._-]/g, '_')}.db`);
}

/**
 * Opens (creating when missing) the SQLite store at `path`, in WAL mode, migrated to the
 * current schema. WAL lets `report` read while a `sync` writes; `synchronous = NORMAL` is the
 * setting SQLite documents as safe with WAL (a power loss may drop the last commits, never
 * corrupt the file), and the journal is designed for a lost tail.
 *
 * @example
 * const store = openStore(defaultStorePath('demo.myshopify.com'));
 * store.orders.countOrders();
 * store.close();
 */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new StoreError(path, `cannot open: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw new StoreError(path, `cannot prepare: ${(error as Error).message}`, { cause: error });
  }
  const cursors = createCursorRepository(db);
  return {
    path,
    orders: createOrderRepository(db),
    customers: createCustomerRepository(db),
    cursors,
    runs: createRunRepository(db, now),
    lock: createRunLock(db, now),
    applied: createAppliedStateRepository(db, now),
    journal: createJournal(db, now),
    snapshots: createSnapshotRepository(db),
    shop: createShopIdentityRepository(db),
    bulkLineSpill: createBulkLineSpill(db),
    holdouts: createHoldoutRepository(db),
    modelFits: createModelFitRepository(cursors),
    listHistory: createListHistoryRepository(cursors),
    checkpoint: () => void db.pragma('wal_checkpoint(TRUNCATE)'),
    transaction: (fn) => db.transaction(fn)(),
    close: () => db.close(),
  };
}
