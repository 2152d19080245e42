import { hostname } from 'node:os';
import type { Config } from '../config/schema.ts';
import type { Credentials } from '../config/env.ts';
import { migration, type MigrationReport } from '../core/migration.ts';
import { DAY_MS } from '../core/order.ts';
import { createSegmentationRun } from '../core/run-segmentation.ts';
import type { CustomerSegment } from '../core/segment.ts';
import { summarize, type SegmentationSummary } from '../core/summary.ts';
import { UserError } from '../errors.ts';
import { createKlaviyoClient, type KlaviyoClient } from '../klaviyo/client.ts';
import type { PredictionResult } from '../model/predict-customers.ts';
import { desiredCustomer } from '../reconcile/desired.ts';
import type { ActivationPlan } from '../activation/plan-activation.ts';
import { buildPlan, exceedsGuard, type AppliedLookup, type LeavingCustomer, type ObservedState, type Plan, type PlanKind } from '../reconcile/plan.ts';
import { createShopifyClient, type ShopifyClient } from '../shopify/client.ts';
import { defaultStorePath, openStore, type Store } from '../store/open-store.ts';
import type { SnapshotEntry } from '../store/snapshots.ts';
import { applyActivation, planActivationStage, type ActivationApplyResult } from './activation-stage.ts';
import { applyKlaviyo, type KlaviyoApplyResult } from './apply-klaviyo.ts';
import { applyShopify, type ShopifyApplyResult } from './apply-shopify.ts';
import { openApplyJournal } from './journaled-apply.ts';
import { keepExistingProfilesOnly } from './existing-profiles.ts';
import { recordManagedLists, retiredLists } from './list-history.ts';
import { planRunHoldouts, type RunHoldouts } from './holdouts.ts';
import { freshModelFits, saveModelFits } from './model-fits.ts';
import { observeKlaviyo, type KlaviyoObservation } from './observe-klaviyo.ts';
import { fullObservationDue, observeProfileProperties, PROPERTIES_OBSERVED_AT, type ProfileObservation } from './observe-profiles.ts';
import { profilesToCreate } from './profile-identity.ts';
import type { Progress } from './progress.ts';
import { pullCustomers } from './pull-customers.ts';
import { pullOrders, type PullOrdersResult } from './pull-orders.ts';
import { checkShopifyAccess } from './check-shopify-access.ts';

/** A lock lease outlives a crashed run by at most this long (docs/DESIGN.md: one run at a time). */
const LOCK_TTL_MS = 5 * 60_000;
const LOCK_RENEW_MS = 60_000;

export interface SyncOptions {
  readonly mode: 'plan' | 'sync';
  /** Apply even when the plan changes more than `guard.max_changed_share` of customers. */
  readonly force: boolean;
  /** Read tiersync's Klaviyo profile properties in full this run, whatever the cadence (`--full`). */
  readonly full?: boolean;
  readonly config: Config;
  readonly credentials: Credentials;
  /** Default `./.tiersync/<shop>.db`. */
  readonly storePath?: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly progress: Progress;
  /** The sandbox's time scale, when talking to it (shortens Klaviyo's windows to match). */
  readonly klaviyoTimeScale?: number;
  /** Aborting stops the run between batches (SIGINT/SIGTERM): what landed stays journaled. */
  readonly signal?: AbortSignal;
}

export interface SyncReport {
  readonly runId: number;
  readonly mode: 'plan' | 'sync';
  readonly asOf: Date;
  readonly currency: string;
  readonly pull: PullOrdersResult;
  readonly shopifyCustomers: number;
  readonly segments: CustomerSegment[];
  readonly summary: SegmentationSummary;
  readonly model: PredictionResult | null;
  readonly migration: MigrationReport | null;
  readonly plan: Plan;
  /** Native segments and metafield definitions to create or update (docs/DESIGN.md "Activation"). */
  readonly activation: ActivationPlan;
  readonly guardTripped: boolean;
  /** A previous run that stopped midway and whose remaining work this run re-planned. */
  readonly resumedRun: { readonly id: number; readonly confirmed: number; readonly unfinished: number } | null;
  readonly applied: {
    readonly shopify: ShopifyApplyResult;
    readonly klaviyo: KlaviyoApplyResult | null;
    readonly confirmed: number;
    readonly failed: number;
    readonly confirmedByKind: Record<PlanKind, number>;
    readonly activation: ActivationApplyResult;
  } | null;
  readonly listsCreated: string[];
  /** Customers held out this run, and those assigned to the experiment for the first time. */
  readonly holdouts: { readonly heldOut: number; readonly newlyAssigned: number };
  /** Customers kept out of Klaviyo because they have no profile there (`update_existing_only`). */
  readonly notInKlaviyo: number;
  /** Profiles read when this run read tiersync's Klaviyo properties in full; null when it did not. */
  readonly profilesObserved: number | null;
  readonly api: { readonly shopifyRequests: number; readonly shopifyThrottled: number; readonly klaviyoRequests: number };
}

/**
 * One run of the pipeline (docs/DESIGN.md): pull orders and customers, compute segments, observe
 * Klaviyo, plan, then (mode `sync`) apply under the journal. A dry run (`plan`) writes nothing
 * to Shopify or Klaviyo. A run that crashed earlier is resumed by re-planning from fresh
 * observations and the applied state its confirmed operations left, so nothing confirmed is
 * sent twice.
 *
 * @example
 * const report = await runSync({ mode: 'plan', force: false, config, credentials, now: Date.now,
 *   sleep, random: Math.random, progress: silentProgress });
 */
export async function runSync(options: SyncOptions): Promise<SyncReport> {
  const { config, credentials, now, progress } = options;
  const store = openStore(options.storePath ?? defaultStorePath(credentials.shop), { now });
  try {
    const shopify = createShopifyClient({
      shop: credentials.shop, accessToken: credentials.shopifyToken, baseUrl: credentials.shopifyBaseUrl,
      sleep: options.sleep, now, random: options.random, logger: { warn: (message) => progress.log(message) },
    });
    // Scopes and the store's shop are checked before the lock, the run record or any pull.
    await checkShopifyAccess({ store, shopify });
    const lease = acquire(store, credentials.shop);
    const renew = setInterval(() => store.lock.renewLock(lease, LOCK_TTL_MS), LOCK_RENEW_MS);
    renew.unref();
    try {
      return await runLocked(store, shopify, options);
    } finally {
      clearInterval(renew);
      store.lock.releaseLock(lease);
    }
  } finally {
    progress.stop();
    store.close();
  }
}

async function runLocked(store: Store, shopify: ShopifyClient, options: SyncOptions): Promise<SyncReport> {
  const { config, credentials, now, progress, mode } = options;
  const resumedRun = mode === 'sync' ? abandonUnfinishedRun(store) : null;
  const run = store.runs.startRun();
  const counts: Record<string, number> = {};
  try {
    const klaviyo = credentials.klaviyoApiKey
      ? createKlaviyoClient({
          apiKey: credentials.klaviyoApiKey, baseUrl: credentials.klaviyoBaseUrl, sleep: options.sleep, now,
          random: options.random, timeScale: options.klaviyoTimeScale ?? 1, logger: { warn: (message: string) => progress.log(message) },
        })
      : null;

    // Cheap first (doctor's Klaviyo check): a wrong key is reported before the Shopify pull, not after it.
    if (klaviyo) await klaviyo.checkAccess();
    const pull = await pullOrders({ store, shopify, config, now, progress });
    const shopifyCustomers = await pullCustomers({ store, shopify, progress, metafieldNamespace: config.shopify.metafield_namespace });
    const asOf = endOfUtcDay(now());
    const { segments, model, currency } = compute(store, config, asOf, now, progress);
    const holdouts = planRunHoldouts(store, segments, config, options.random);
    const retired = retiredLists(store, config);
    const observedLists = klaviyo ? await observeKlaviyo({ klaviyo, config, create: mode === 'sync', progress, retiredLists: retired }) : null;
    // Read from the store customer by customer: every applied state in memory at once cost
    // about 2 KB a customer, which a 500,000-customer shop cannot afford.
    const applied: AppliedLookup = {
      get: (customerId) => store.applied.getAppliedState(customerId) ?? undefined,
      size: store.applied.countAppliedStates(),
    };
    const observeProperties = klaviyo !== null && fullObservationDue(store, config, { full: options.full ?? false, now: now() });
    const leaving = leavingCustomers(store, segments);
    const { plan, notInKlaviyo, profiles } = await planChanges({ segments, holdouts, currency, config, applied, leaving, shopifyCustomers, klaviyo, observedLists, observeProperties, retired, now, progress });
    const activation = await planActivationStage({ store, config, shopify, klaviyo, progress });
    const previous = store.snapshots.latestSnapshotAtOrBefore(asOf.getTime());
    const migrationReport = previous
      ? migration(new Map(store.snapshots.loadSnapshot(previous.id).map((e) => [e.customerId, e.tier])), segments, config, (asOf.getTime() - previous.asOf) / DAY_MS)
      : null;
    const guardTripped = exceedsGuard(plan, config) && !options.force && !(resumedRun?.guardPassed ?? false);
    Object.assign(counts, plan.counts, { customers: segments.length, orders_pulled: pull.orders, guard_tripped: guardTripped ? 1 : 0 });

    let appliedReport: SyncReport['applied'] = null;
    if (mode === 'sync' && !guardTripped) {
      counts.guard_passed = 1;
      store.runs.updateCounts(run.id, counts);
      const journal = openApplyJournal(store, run.id, plan.operations);
      const signal = options.signal;
      signal?.throwIfAborted();
      const shopifyResult = await applyShopify({ shopify, journal, progress, metafieldNamespace: config.shopify.metafield_namespace, signal }, plan.operations);
      let klaviyoResult: KlaviyoApplyResult | null = null;
      if (klaviyo && observedLists) {
        const creates = config.klaviyo.update_existing_only
          ? new Set<string>()
          : await profilesToCreate({ klaviyo, operations: plan.operations, applied, lists: observedLists, profiles, progress });
        klaviyoResult = await applyKlaviyo({ klaviyo, journal, progress, observed: observedLists, creates, signal }, plan.operations);
      }
      const activationResult = await applyActivation({ store, runId: run.id, plan: activation, shopify, klaviyo, ...(signal ? { signal } : {}) });
      appliedReport = { shopify: shopifyResult, klaviyo: klaviyoResult, ...journal.counts(), activation: activationResult };
      // The next full read is due a cadence from this one, once what it found is put back.
      if (profiles && appliedReport.failed === 0) store.cursors.setCursor(PROPERTIES_OBSERVED_AT, String(now()));
      if (klaviyo) recordManagedLists(store, config, plan, appliedReport.failed);
      store.snapshots.saveSnapshot(run.id, asOf.getTime(), segments.map(toSnapshotEntry));
      holdouts.commit(now());
      Object.assign(counts, { confirmed: appliedReport.confirmed, failed: appliedReport.failed });
    }
    const shopifyStats = shopify.stats();
    const klaviyoStats = klaviyo?.stats();
    const report: SyncReport = {
      runId: run.id,
      mode,
      asOf,
      currency,
      pull,
      shopifyCustomers: shopifyCustomers.size,
      segments,
      summary: summarize(segments, config),
      model,
      migration: migrationReport,
      plan,
      activation,
      guardTripped,
      resumedRun: resumedRun && { id: resumedRun.id, confirmed: resumedRun.confirmed, unfinished: resumedRun.unfinished },
      applied: appliedReport,
      listsCreated: observedLists?.listsCreated ?? [],
      holdouts: { heldOut: holdouts.heldOut, newlyAssigned: holdouts.newlyAssigned },
      notInKlaviyo,
      profilesObserved: profiles?.profilesRead ?? null,
      api: {
        shopifyRequests: shopifyStats.requests,
        shopifyThrottled: shopifyStats.throttled,
        klaviyoRequests: Object.values(klaviyoStats?.requests ?? {}).reduce((sum, n) => sum + (n ?? 0), 0),
      },
    };
    store.runs.finishRun(run.id, guardTripped ? 'failed' : 'completed', counts);
    return report;
  } catch (error) {
    store.runs.finishRun(run.id, 'failed', counts);
    throw error;
  }
}

function acquire(store: Store, shop: string) {
  const host = hostname();
  const result = store.lock.acquireLock(shop, { pid: process.pid, host }, LOCK_TTL_MS, (held) => held.host !== host || processExists(held.pid));
  if (!result.acquired) {
    const { pid, host, expiresAt } = result.heldBy;
    throw new UserError(
      `another tiersync run holds the lock for ${shop} (pid ${pid} on ${host}); it expires at ${new Date(expiresAt).toISOString()} if that run has died. Try again after it finishes.`,
    );
  }
  return result.lease;
}

/** Whether a process of this host is still running (signal 0 checks without sending). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Marks a run that never finished (killed, interrupted, failed midway) as abandoned and says
 * how far its apply got; null when there is none, or it stopped before sending anything (a
 * failed pull, a guard stop), which leaves nothing to resume.
 */
function abandonUnfinishedRun(store: Store) {
  const open = store.runs.openRun();
  if (!open) return null;
  const byKind = store.journal.counts(open.id);
  let confirmed = 0;
  let unfinished = 0;
  for (const statuses of Object.values(byKind)) {
    confirmed += statuses.confirmed;
    unfinished += statuses.pending + statuses.sent;
  }
  store.runs.finishRun(open.id, 'abandoned', { ...open.counts, confirmed, unfinished });
  if (confirmed + unfinished === 0) return null;
  return { id: open.id, confirmed, unfinished, guardPassed: open.counts.guard_passed === 1 };
}

/**
 * Desired state → plan. The desired states live only here: the plan keeps what differs, so
 * they are garbage as soon as it is built.
 */
async function planChanges(input: {
  segments: readonly CustomerSegment[];
  holdouts: RunHoldouts;
  currency: string;
  config: Config;
  applied: AppliedLookup;
  leaving: readonly LeavingCustomer[];
  shopifyCustomers: ObservedState['customers'];
  klaviyo: KlaviyoClient | null;
  observedLists: KlaviyoObservation | null;
  /** Read tiersync's profile properties in full (cadence or `--full`). */
  observeProperties: boolean;
  retired: readonly string[];
  now: () => number;
  progress: Progress;
}): Promise<{ plan: Plan; notInKlaviyo: number; profiles: ProfileObservation | null }> {
  const { config, applied, klaviyo, observedLists, progress } = input;
  let desired = input.segments.map((segment) => desiredCustomer(segment, config, input.currency, input.holdouts.isHeldOut(segment.customerId)));
  const profiles = klaviyo && observedLists && input.observeProperties ? await observeProfileProperties({ klaviyo, config, desired, applied, progress }) : null;
  let notInKlaviyo = 0;
  if (klaviyo && observedLists && config.klaviyo.update_existing_only) {
    ({ desired, skipped: notInKlaviyo } = await keepExistingProfilesOnly({ klaviyo, desired, applied, observed: observedLists, existing: profiles?.existing ?? null, progress }));
  }
  const plan = buildPlan({
    desired,
    observed: { customers: input.shopifyCustomers, listMembers: observedLists?.members ?? null, profilesMatchingApplied: profiles?.matchingApplied ?? null },
    applied,
    config,
    now: new Date(input.now()),
    retiredLists: input.retired,
    leaving: input.leaving,
  });
  return { plan, notInKlaviyo, profiles };
}

/**
 * Customers tiersync applied something to who are no longer segmented (deleted, or every
 * order cancelled), with anything left to take off. Their Klaviyo email is the one tiersync
 * last wrote, else the Shopify customer's as last read.
 */
function leavingCustomers(store: Store, segments: readonly CustomerSegment[]): LeavingCustomer[] {
  const segmented = new Set(segments.map((s) => s.customerId));
  const gone: string[] = [];
  // Collected first: the store answers no other query while a cursor is open.
  for (const customerId of store.applied.iterateCustomerIds()) if (!segmented.has(customerId)) gone.push(customerId);
  const leaving: LeavingCustomer[] = [];
  for (const customerId of gone) {
    const last = store.applied.getAppliedState(customerId);
    if (!last) continue;
    const empty = !last.tags.length && !last.lists.length && !Object.keys(last.properties).length && !Object.keys(last.metafields).length;
    if (empty) continue;
    const email = last.email ?? store.customers.getCustomer(customerId)?.email?.toLowerCase() ?? null;
    leaving.push({ customerId, email, last });
  }
  return leaving;
}

function compute(store: Store, config: Config, asOf: Date, now: () => number, progress: Progress) {
  const phase = progress.phase('compute segments', store.orders.countOrders());
  const reuseFits = freshModelFits(store, config, now());
  const run = createSegmentationRun(config, asOf, reuseFits ? { reuseFits } : {});
  const currencies = new Map<string, number>();
  for (const order of store.orders.iterateOrders()) {
    run.add(order);
    if (order.currency) currencies.set(order.currency, (currencies.get(order.currency) ?? 0) + 1);
    phase.tick();
  }
  const { segments, model, refitted } = run.finish();
  if (model && refitted) saveModelFits(store, model, now());
  phase.done(`${segments.length} customers${model ? (refitted ? '; model fitted' : '; model parameters reused') : ''}`);
  const currency = [...currencies].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'USD';
  return { segments, model, currency };
}

/**
 * A sync computes as of the end of the current UTC day: every order so far counts, ages are
 * calendar days, and every run of the same day gives the same segments, so a second run
 * with no new orders writes nothing (docs/DESIGN.md "Reconcile, plan, apply").
 */
export function endOfUtcDay(ms: number): Date {
  return new Date((Math.floor(ms / DAY_MS) + 1) * DAY_MS - 1);
}

function toSnapshotEntry(segment: CustomerSegment): SnapshotEntry {
  const overlays = [
    segment.atRisk ? 'r' : '', segment.lapsed === 'high_value' ? 'h' : '', segment.lapsed === 'low_value' ? 'l' : '',
    segment.suppressed ? 's' : '', segment.reactivationDue ? 'a' : '',
  ].join('');
  return { customerId: segment.customerId, tier: segment.tier, overlays, recency: segment.recencyBucket };
}
