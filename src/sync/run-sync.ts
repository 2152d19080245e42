import type { Config } from '../config/schema.ts';
import { migration, type MigrationReport } from '../core/migration.ts';
import { DAY_MS } from '../core/order.ts';
import type { SegmentColumns } from '../core/segment-columns.ts';
import type { SegmentationSummary } from '../core/summary.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { ModelFits } from '../model/predict-customers.ts';
import { decideGuard, type GuardDecision } from '../reconcile/guard.ts';
import type { AppliedLookup, LeavingCustomer, PlanOperation, PlanSummary } from '../reconcile/plan.ts';
import type { ShopifyClient } from '../shopify/client.ts';
import type { Store } from '../store/open-store.ts';
import { abandonUnfinishedRun, type ResumedRun } from '../store/resume.ts';
import { holdRunLock, type LockHolder } from '../store/run-lease.ts';
import { snapshotEntryOf } from '../store/snapshots.ts';
import type { ActivationPlan } from '../activation/plan-activation.ts';
import { applyActivation, planActivationStage, type ActivationApplyResult } from './activation-stage.ts';
import { applyChanges, type AppliedChanges } from './apply-changes.ts';
import { restoreAppliedState } from './journaled-apply.ts';
import { computeSegments } from './compute-segments.ts';
import { keepExistingProfilesOnly } from './existing-profiles.ts';
import { recordManagedLists, retiredLists } from './list-history.ts';
import { planRunHoldouts } from './holdouts.ts';
import { checkShopifyAccess } from './check-shopify-access.ts';
import { observeKlaviyo } from './observe-klaviyo.ts';
import { fullObservationDue, observeProfileProperties, PROPERTIES_OBSERVED_AT } from './observe-profiles.ts';
import { planPass, type PlanSource } from './plan-changes.ts';
import type { Progress } from './progress.ts';
import { pullCustomers } from './pull-customers.ts';
import { pullOrders, type PullOrdersResult } from './pull-orders.ts';

/** What a sync runs against, built by the CLI (or a test, or a bench). */
export interface SyncDependencies {
  readonly store: Store;
  readonly shopify: ShopifyClient;
  /** Null when no Klaviyo key is set: Klaviyo stays out of the plan. */
  readonly klaviyo: KlaviyoClient | null;
  readonly now: () => number;
  /** Randomness (the holdout salt, drawn once per store). */
  readonly random: () => number;
  readonly lockHolder: LockHolder;
  readonly progress: Progress;
  /** Aborting stops the run between batches (SIGINT/SIGTERM): what landed stays journaled. */
  readonly signal?: AbortSignal | undefined;
}

export interface SyncOptions {
  readonly mode: 'plan' | 'sync';
  /** Apply even when the plan changes more than `guard.max_changed_share` of customers. */
  readonly force: boolean;
  /** Read tiersync's Klaviyo profile properties in full this run, whatever the cadence (`--full`). */
  readonly full?: boolean;
  readonly config: Config;
  /** The shop's domain: the run lock is per shop. */
  readonly shop: string;
  /** Receives the planned operations chunk by chunk, once (plan files, tests). */
  readonly onPlannedOperations?: (operations: readonly PlanOperation[]) => void;
}

export interface SyncReport {
  readonly runId: number;
  readonly mode: 'plan' | 'sync';
  readonly asOf: Date;
  readonly currency: string;
  readonly pull: PullOrdersResult;
  readonly shopifyCustomers: number;
  readonly segments: SegmentColumns;
  readonly summary: SegmentationSummary;
  readonly model: ModelFits | null;
  readonly migration: MigrationReport | null;
  readonly plan: PlanSummary;
  /** Native segments and metafield definitions to create or update (docs/DESIGN.md "Activation"). */
  readonly activation: ActivationPlan;
  readonly guard: GuardDecision;
  readonly guardTripped: boolean;
  /** A previous run that stopped midway and whose remaining work this run re-planned. */
  readonly resumedRun: ResumedRun | null;
  readonly applied: (Omit<AppliedChanges, 'listsCreated'> & { readonly activation: ActivationApplyResult }) | null;
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
 * One run of the pipeline (docs/DESIGN.md), as a sequence of stages each owned by one module:
 * lock and resume (store/), pull orders and customers, compute segments, observe Klaviyo,
 * plan in chunks, the guard (reconcile/guard.ts), then (mode `sync`) the journaled apply,
 * which re-plans chunk by chunk and writes as it goes. A dry run (`plan`) writes nothing to
 * Shopify or Klaviyo. A run that crashed earlier is resumed by re-planning from fresh
 * observations and the applied state its confirmed operations left, so nothing confirmed is
 * sent twice.
 *
 * @example
 * const report = await runSync(deps, { mode: 'plan', force: false, config, shop: 'acme.myshopify.com' });
 */
export async function runSync(deps: SyncDependencies, options: SyncOptions): Promise<SyncReport> {
  // Scopes and the store's shop are checked before the lock, the run record or any pull.
  await checkShopifyAccess({ store: deps.store, shopify: deps.shopify });
  return holdRunLock(deps.store, options.shop, deps.lockHolder, () => runStages(deps, options));
}

async function runStages(deps: SyncDependencies, options: SyncOptions): Promise<SyncReport> {
  const { store, shopify, klaviyo, now, progress } = deps;
  const { config, mode } = options;
  const resumedRun = mode === 'sync' ? abandonUnfinishedRun(store) : null;
  // A run killed mid-chunk confirmed operations whose applied state waited for the chunk's end.
  if (resumedRun) restoreAppliedState(store, resumedRun.id);
  const run = store.runs.startRun();
  const counts: Record<string, number> = {};
  try {
    // Cheap first (doctor's Klaviyo check): a wrong key is reported before the Shopify pull, not after it.
    if (klaviyo) await klaviyo.checkAccess();
    const pull = await pullOrders({ store, shopify, config, now, progress });
    const shopifyCustomers = await pullCustomers({ store, shopify, progress, metafieldNamespace: config.shopify.metafield_namespace });
    const asOf = endOfUtcDay(now());
    const computed = computeSegments({ store, config, asOf, now, progress });
    const holdouts = planRunHoldouts(store, computed.segments, config, deps.random);
    const retired = retiredLists(store.listHistory, config);
    // One cadence for lists and properties: in full every klaviyo.full_observation_days or on --full.
    const fullObservation = klaviyo !== null && fullObservationDue(store, config, { full: options.full ?? false, now: now() });
    const observedLists = klaviyo
      ? await observeKlaviyo({ klaviyo, config, progress, retiredLists: retired, full: fullObservation, expected: () => listsByAppliedState(store, computed.segments) })
      : null;
    const applied = appliedLookup(store);
    const profiles = klaviyo && observedLists && fullObservation
      ? await observeProfileProperties({ klaviyo, config, customers: () => klaviyoEmails(computed.segments), applied, progress })
      : null;
    const existing = klaviyo && observedLists && config.klaviyo.update_existing_only
      ? await keepExistingProfilesOnly({ klaviyo, segments: computed.segments, applied, observed: observedLists, existing: profiles?.existing ?? null, progress })
      : null;
    const source: PlanSource = {
      store, applied, segments: computed.segments, currency: computed.currency, config, now: new Date(now()), observedLists, retiredLists: retired,
      outOfKlaviyo: existing?.outOfKlaviyo ?? null, profilesMatchingApplied: profiles?.matchingApplied ?? null, isHeldOut: holdouts.isHeldOut,
      leaving: leavingCustomers(store, computed.segments),
    };
    const planned = planEverything(source, progress, options.onPlannedOperations);
    const activation = await planActivationStage({ store, config, shopify, klaviyo, progress });
    const migrationReport = migrationSincePrevious(store, computed.segments, config, asOf);
    const guard = decideGuard(planned.summary, config, { force: options.force, resumingApprovedRun: resumedRun !== null });
    Object.assign(counts, planned.summary.counts, { customers: computed.segments.length, orders_pulled: pull.orders, guard_tripped: guard.tripped ? 1 : 0 });

    let written: AppliedChanges | null = null;
    let activationResult: ActivationApplyResult | null = null;
    if (mode === 'sync' && !guard.tripped) {
      store.runs.updateCounts(run.id, counts);
      // Older runs' journals go before this run records anything (every earlier run is finished
      // and folded into the applied state by now): their pages are dropped whole, not rewritten.
      // A run with nothing to apply leaves the journal as it is.
      if (Object.values(planned.summary.counts).some((n) => n > 0) || activation.operations.length > 0) store.journal.compactBefore(run.id);
      // The second pass plans the same operations (same source) and applies each chunk as it comes.
      const chunks = planPass(source, planned.owners).chunks();
      written = await applyChanges(
        { store, runId: run.id, shopify, klaviyo, observed: observedLists, profiles, applied, config, progress, signal: deps.signal },
        chunks,
        planned.summary,
      );
      activationResult = await applyActivation({ store, runId: run.id, plan: activation, shopify, klaviyo, ...(deps.signal ? { signal: deps.signal } : {}) });
      // The next full read is due a cadence from this one, once what it found is put back.
      if (profiles && written.failed === 0) store.cursors.setCursor(PROPERTIES_OBSERVED_AT, String(now()));
      holdouts.commit(now());
      if (klaviyo) recordManagedLists(store.listHistory, config, planned.summary.listsWithRemovals, written.failed);
      store.snapshots.saveSnapshot(run.id, asOf.getTime(), mapIterable(computed.segments, snapshotEntryOf));
      Object.assign(counts, { confirmed: written.confirmed, failed: written.failed, activation_failed: activationResult.failed.length });
    }
    const shopifyStats = shopify.stats();
    const klaviyoStats = klaviyo?.stats();
    store.runs.finishRun(run.id, guard.tripped ? 'failed' : 'completed', counts);
    store.checkpoint();
    const { listsCreated, ...appliedReport } = written ?? { listsCreated: [] };
    return {
      runId: run.id,
      mode,
      asOf,
      currency: computed.currency,
      pull,
      shopifyCustomers,
      segments: computed.segments,
      summary: computed.summary,
      model: computed.model,
      migration: migrationReport,
      plan: planned.summary,
      activation,
      guard,
      guardTripped: guard.tripped,
      resumedRun,
      applied: written && activationResult ? { ...(appliedReport as Omit<AppliedChanges, 'listsCreated'>), activation: activationResult } : null,
      listsCreated,
      notInKlaviyo: existing?.skipped ?? 0,
      profilesObserved: profiles?.profilesRead ?? null,
      holdouts: { heldOut: holdouts.heldOut, newlyAssigned: holdouts.newlyAssigned },
      api: {
        shopifyRequests: shopifyStats.requests,
        shopifyThrottled: shopifyStats.throttled,
        klaviyoRequests: Object.values(klaviyoStats?.requests ?? {}).reduce((sum, n) => sum + (n ?? 0), 0),
      },
    };
  } catch (error) {
    store.runs.finishRun(run.id, 'failed', counts);
    throw error;
  }
}

/**
 * Customers tiersync applied something to who are no longer segmented (deleted, or every
 * order cancelled), with anything left to take off. Their Klaviyo email is the one tiersync
 * last wrote, else the Shopify customer's as last read. The stored ids and the segments are
 * both in id order: merged, not held in a set.
 */
function leavingCustomers(store: Store, segments: SegmentColumns): LeavingCustomer[] {
  const gone: string[] = [];
  let i = 0;
  // Collected first: the store answers no other query while a cursor is open.
  for (const customerId of store.applied.iterateCustomerIds()) {
    while (i < segments.length && segments.customerId(i) < customerId) i++;
    if (i >= segments.length || segments.customerId(i) !== customerId) gone.push(customerId);
  }
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

/** Every segmented customer with its lower-cased email (what Klaviyo profiles are keyed by). */
function* klaviyoEmails(segments: SegmentColumns) {
  for (let i = 0; i < segments.length; i++) yield { customerId: segments.customerId(i), email: segments.email(i)?.toLowerCase() ?? null };
}

/**
 * List name → the emails of the customers whose applied state has them in it (what the
 * journal says Klaviyo holds): the stored states and the segments, both in customer id order,
 * merged.
 */
function listsByAppliedState(store: Store, segments: SegmentColumns): Map<string, Set<string>> {
  const lists = new Map<string, Set<string>>();
  let i = 0;
  for (const { customerId, state } of store.applied.iterateAppliedStates()) {
    if (state.lists.length === 0) continue;
    while (i < segments.length && segments.customerId(i) < customerId) i++;
    if (i >= segments.length || segments.customerId(i) !== customerId) continue;
    const email = segments.email(i)?.toLowerCase();
    if (!email) continue;
    for (const list of state.lists) {
      let members = lists.get(list);
      if (!members) lists.set(list, (members = new Set()));
      members.add(email);
    }
  }
  return lists;
}

function appliedLookup(store: Store): AppliedLookup {
  return { get: (customerId) => store.applied.getAppliedState(customerId) ?? undefined, size: store.applied.countAppliedStates() };
}

/** The first pass over the plan: its summary (what the guard decides on), the operations handed to `sink` as they come. */
function planEverything(source: PlanSource, progress: Progress, sink: SyncOptions['onPlannedOperations']) {
  const pass = planPass(source);
  const phase = progress.phase('plan', source.segments.length);
  for (const chunk of pass.chunks()) {
    sink?.(chunk.operations);
    phase.tick(chunk.customers);
  }
  const summary = pass.summary();
  phase.done(`${summary.changedCustomers} of ${summary.totalCustomers} customers change`);
  return { summary, owners: pass.owners };
}

/** Tier movement since the latest snapshot at or before `asOf` (docs/DESIGN.md "Health checks"); null before the first. */
function migrationSincePrevious(store: Store, segments: SegmentColumns, config: Config, asOf: Date): MigrationReport | null {
  const previous = store.snapshots.latestSnapshotAtOrBefore(asOf.getTime());
  if (!previous) return null;
  const tiers = new Map(store.snapshots.loadSnapshot(previous.id).map((e) => [e.customerId, e.tier]));
  const current = mapIterable(segments, (s) => ({ customerId: s.customerId, tier: s.tier }));
  return migration(tiers, [...current], config, (asOf.getTime() - previous.asOf) / DAY_MS);
}

function* mapIterable<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

/**
 * A sync computes as of the end of the current UTC day: every order so far counts, ages are
 * calendar days, and every run of the same day gives the same segments, so a second run
 * with no new orders writes nothing (docs/DESIGN.md "Reconcile, plan, apply").
 */
export function endOfUtcDay(ms: number): Date {
  return new Date((Math.floor(ms / DAY_MS) + 1) * DAY_MS - 1);
}
