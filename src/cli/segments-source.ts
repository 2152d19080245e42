import { existsSync } from 'node:fs';
import { readCredentials } from '../config/env.ts';
import type { Config } from '../config/schema.ts';
import { createAsOfCheck } from '../core/as-of-check.ts';
import { UserError } from '../errors.ts';
import { readOrders } from '../ingest/read-orders.ts';
import { createReportCollector, type CollectedOrders } from '../report/html/report-model.ts';
import { defaultStorePath, openStore, type Store } from '../store/open-store.ts';
import { freshModelFits } from '../sync/model-fits.ts';

/** Where `report` and `playbook` read their orders: `--orders FILE --as-of DATE`, else the store. */
export interface SourceOptions {
  readonly orders?: string | undefined;
  readonly asOf?: Date | undefined;
  readonly currency?: string | undefined;
  readonly store?: string | undefined;
}

export interface Source {
  readonly collected: CollectedOrders;
  readonly asOf: Date;
  readonly description: string;
  readonly store: Store | null;
  readonly shop: string | null;
  /** The snapshot of the sync being reported, when it is one. */
  readonly snapshotId?: number;
}

/**
 * The segments of an orders file, or of the store at its latest completed sync (or `--as-of`).
 * The caller closes `source.store`.
 *
 * @example
 * const source = await readSegmentsSource({ store: '.tiersync/acme.db' }, config);
 * source.collected.segments.length;
 */
export function readSegmentsSource(options: SourceOptions, config: Config): Promise<Source> {
  return options.orders ? fromOrdersFile(options.orders, options, config) : Promise.resolve(fromStore(options, config));
}

/** The shop's store: `--store`, else the default path of the shop named in the environment. */
function storePath(options: SourceOptions, required: boolean): { path: string; shop: string | null } | null {
  if (options.store) return { path: options.store, shop: null };
  if (!required && !process.env.SHOPIFY_SHOP) return null;
  const { shop } = readCredentials(process.env);
  return { path: defaultStorePath(shop), shop };
}

async function fromOrdersFile(path: string, options: SourceOptions, config: Config): Promise<Source> {
  const asOf = options.asOf!;
  const collector = createReportCollector(config, asOf);
  const asOfCheck = createAsOfCheck(asOf, config.history_days);
  await readOrders(
    path,
    (order) => {
      asOfCheck.add(order);
      collector.add(order);
    },
    { currency: options.currency ?? 'USD' },
  );
  const warning = asOfCheck.warning();
  if (warning) process.stderr.write(`${warning}\n`);
  const located = storePath(options, false);
  // Reading a report must not create an empty store: migration needs one that exists.
  const store = located && existsSync(located.path) ? openStore(located.path) : null;
  return { collected: collector.finish(), asOf, description: `orders file ${path}`, store, shop: located?.shop ?? null };
}

function fromStore(options: SourceOptions, config: Config): Source {
  const { path, shop } = storePath(options, true)!;
  if (!existsSync(path)) {
    throw new UserError(`${path}: no order store yet; run \`tiersync sync\` first, or pass --orders FILE --as-of DATE`);
  }
  const store = openStore(path);
  try {
    const { asOf, description, snapshotId } = reportTime(store, options.asOf);
    // The fits the sync at `asOf` reused or saved, so that predicted values (and tiers ranked
    // on them) match what it applied.
    const reuseFits = freshModelFits(store.modelFits.latest(), store.orders.countOrders(), config, asOf.getTime());
    const collector = createReportCollector(config, asOf, reuseFits ? { reuseFits } : {});
    // Only a date the user chose can make no sense for the data; the latest sync's always does.
    const asOfCheck = options.asOf ? createAsOfCheck(asOf, config.history_days) : null;
    for (const order of store.orders.iterateOrders()) {
      asOfCheck?.add(order);
      collector.add(order);
    }
    const warning = asOfCheck?.warning();
    if (warning) process.stderr.write(`${warning}\n`);
    return { collected: collector.finish(), asOf, description: `store ${path}, ${description}`, store, shop, ...(snapshotId === undefined ? {} : { snapshotId }) };
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * The as-of of the latest sync that applied (its snapshot's: syncs compute as of the end of
 * their UTC day, and only applying syncs store a snapshot), unless `--as-of` says otherwise.
 */
function reportTime(store: Store, asOf: Date | undefined): { asOf: Date; description: string; snapshotId?: number } {
  if (asOf) return { asOf, description: `orders as of ${asOf.toISOString()}` };
  const snapshot = store.snapshots.latestSnapshotAtOrBefore(Number.MAX_SAFE_INTEGER);
  if (snapshot) {
    const description = snapshot.runId === null ? `snapshot ${snapshot.id}` : `run ${snapshot.runId}`;
    return { asOf: new Date(snapshot.asOf), description, snapshotId: snapshot.id };
  }
  throw new UserError(`${store.path}: no completed sync yet; run \`tiersync sync\` first, or pass --as-of DATE`);
}
