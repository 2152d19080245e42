import type Database from 'better-sqlite3';

/**
 * The store's schema, one entry per version, applied in order and recorded in SQLite's
 * `user_version`. Never edit a released migration: append a new one.
 *
 * Line items are kept on the order row: they are only ever read and replaced with their order,
 * and one row per order is what lets ingest run well above 50,000 orders a second.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    customer_id TEXT,
    email TEXT,
    processed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    currency TEXT,
    cancelled INTEGER NOT NULL,
    test INTEGER NOT NULL,
    lines TEXT NOT NULL
  );
  CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    email TEXT,
    tags TEXT NOT NULL,
    rfm_group TEXT,
    predicted_spend_tier TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE cursors (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    status TEXT NOT NULL,
    counts TEXT NOT NULL
  );
  CREATE TABLE locks (
    shop TEXT PRIMARY KEY,
    lease_id INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE TABLE applied_state (
    customer_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX journal_by_run_status ON journal (run_id, status);
  `,
  `
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER REFERENCES runs(id),
    as_of INTEGER NOT NULL,
    customers INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX snapshots_by_as_of ON snapshots (as_of);
  `,
  `
  CREATE TABLE shop_identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    shop_id TEXT NOT NULL,
    domain TEXT NOT NULL
  );
  CREATE TABLE bulk_line_spill (
    parent_id TEXT NOT NULL,
    product_type TEXT NOT NULL,
    quantity INTEGER NOT NULL
  );
  CREATE INDEX bulk_line_spill_by_parent ON bulk_line_spill (parent_id);
  `,
  `
  CREATE TABLE holdout_salt (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    salt TEXT NOT NULL
  );
  CREATE TABLE holdout_assignments (
    customer_id TEXT PRIMARY KEY,
    assigned_at INTEGER NOT NULL,
    segment TEXT NOT NULL,
    held_out INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // tiersync's metafields as last read from Shopify (JSON key → value); NULL: not read.
  `
  ALTER TABLE customers ADD COLUMN metafields TEXT;
  `,
  // The journal indexed by run only: a status change then rewrites the row, not an index entry
  // too (it holds a run or two since older runs are compacted, so a scan by run is short).
  `
  DROP INDEX journal_by_run_status;
  CREATE INDEX journal_by_run ON journal (run_id);
  `,
  // The journal in two tables. An operation is written once (journal_operations); each status
  // change after `pending` is a narrow row of its own (journal_status, absent while pending),
  // so marking a batch sent or confirmed rewrites a few bytes an operation, not its payload.
  // No foreign key and no index: a DELETE without WHERE then drops the finished runs' pages
  // whole (SQLite's truncate optimization) instead of rewriting each row. AUTOINCREMENT: ids
  // never restart after that, so a stored journal id (journal.applied_through_id) stays
  // meaningful. The view reads both as the one journal they were. Only unfinished runs' rows
  // are carried over (a resume reads no other; finished runs keep their counts in `runs`).
  `
  CREATE TABLE journal_operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
  );
  CREATE TABLE journal_status (
    id INTEGER PRIMARY KEY,
    status TEXT NOT NULL,
    error TEXT,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO journal_operations (id, run_id, kind, target, payload, recorded_at)
    SELECT id, run_id, kind, target, payload, updated_at FROM journal
    WHERE run_id IN (SELECT id FROM runs WHERE status IN ('running', 'failed'));
  INSERT INTO journal_status (id, status, error, updated_at)
    SELECT id, status, error, updated_at FROM journal
    WHERE status != 'pending' AND run_id IN (SELECT id FROM runs WHERE status IN ('running', 'failed'));
  -- The journal's ids go on after the last one, carried over or not (journal.applied_through_id may name it).
  INSERT INTO sqlite_sequence (name, seq) SELECT 'journal_operations', 0
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'journal_operations');
  UPDATE sqlite_sequence SET seq = (SELECT coalesce(max(id), 0) FROM journal) WHERE name = 'journal_operations';
  DROP TABLE journal;
  CREATE VIEW journal AS
    SELECT o.id, o.run_id, o.kind, o.target, o.payload, coalesce(s.status, 'pending') AS status, s.error,
      coalesce(s.updated_at, o.recorded_at) AS updated_at
    FROM journal_operations o LEFT JOIN journal_status s ON s.id = o.id;
  `,
  // The sets of property (or metafield) names applied states use, each stored once: a state
  // keeps the id of its set and the values in that order, not every name again (nearly every
  // customer has the same names; they were two thirds of a state's bytes).
  `
  CREATE TABLE applied_state_shapes (
    id INTEGER PRIMARY KEY,
    keys TEXT NOT NULL UNIQUE
  );
  `,
  // Orders compact (a row is mostly numbers): ids and customer ids as their GID's number, else
  // the text (order-keys.ts; no declared type, so neither converts the other), line items as
  // interned product types (order-lines.ts). The rowid keeps the ingest order; the old rows are
  // copied in it.
  `
  CREATE TABLE order_product_types (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
  );
  INSERT INTO order_product_types (name)
    SELECT DISTINCT json_extract(line.value, '$[0]') FROM orders, json_each(orders.lines) AS line ORDER BY 1;
  CREATE TABLE orders_compact (
    id NOT NULL,
    customer_id,
    email TEXT,
    processed_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    currency TEXT,
    cancelled INTEGER NOT NULL,
    test INTEGER NOT NULL,
    lines TEXT NOT NULL
  );
  INSERT INTO orders_compact (rowid, id, customer_id, email, processed_at, updated_at, total_cents, currency, cancelled, test, lines)
    SELECT o.rowid,
      CASE WHEN o.id GLOB 'gid://shopify/Order/[1-9]*' AND length(o.id) <= 35 AND substr(o.id, 21) NOT GLOB '*[^0-9]*'
        THEN CAST(substr(o.id, 21) AS INTEGER) ELSE o.id END,
      CASE WHEN o.customer_id GLOB 'gid://shopify/Customer/[1-9]*' AND length(o.customer_id) <= 38 AND substr(o.customer_id, 24) NOT GLOB '*[^0-9]*'
        THEN CAST(substr(o.customer_id, 24) AS INTEGER) ELSE o.customer_id END,
      o.email, o.processed_at, o.updated_at, o.total_cents, o.currency, o.cancelled, o.test,
      coalesce((
        SELECT group_concat(
          CASE WHEN json_extract(line.value, '$[1]') = 1 THEN type.id ELSE type.id || '*' || json_extract(line.value, '$[1]') END,
          ',' ORDER BY line.key)
        FROM json_each(o.lines) AS line JOIN order_product_types type ON type.name = json_extract(line.value, '$[0]')
      ), '')
    FROM orders o ORDER BY o.rowid;
  DROP TABLE orders;
  ALTER TABLE orders_compact RENAME TO orders;
  CREATE UNIQUE INDEX orders_by_id ON orders (id);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings `db` up to {@link SCHEMA_VERSION} (or `target`, to build an older store in a test), each
 * step in its own transaction. Refuses a file written by a newer tiersync rather than guessing
 * at its schema.
 *
 * @example
 * migrate(new Database('shop.db')); // user_version is now SCHEMA_VERSION
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `store ${db.name} has schema version ${current}, newer than this tiersync understands (${SCHEMA_VERSION}); upgrade tiersync`,
    );
  }
  for (let version = current; version < target; version++) {
    const step = db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    });
    step();
  }
}
