import type { Config } from '../config/schema.ts';
import type { SegmentColumns } from '../core/segment-columns.ts';
import { desiredCustomer } from '../reconcile/desired.ts';
import { createPlanner, profileOwners, type AppliedLookup, type ChunkCustomer, type LeavingCustomer, type PlanOperation, type PlanSummary, type ProfileOwners } from '../reconcile/plan.ts';
import type { Store } from '../store/open-store.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import type { Progress } from './progress.ts';

/**
 * Customers planned at a time: their desired states and operations are all a run holds at
 * once (a few KB a customer), whatever the shop's size.
 */
export const PLAN_CHUNK_CUSTOMERS = 25_000;

/** Everything a plan of the whole shop is made from; planning it twice gives the same operations. */
export interface PlanSource {
  readonly store: Store;
  /** What tiersync last applied, read from the store customer by customer. */
  readonly applied: AppliedLookup;
  readonly segments: SegmentColumns;
  readonly currency: string;
  readonly config: Config;
  readonly now: Date;
  readonly observedLists: KlaviyoObservation | null;
  readonly retiredLists: readonly string[];
  /** 1 for each segment (by index) kept out of Klaviyo (`klaviyo.update_existing_only`); null: none. */
  readonly outOfKlaviyo: Uint8Array | null;
  /** Customers who left the segmented population (see LeavingCustomer). */
  readonly leaving: readonly LeavingCustomer[];
  /** Whether a customer is held out this run (its desired state says so). */
  readonly isHeldOut: (customerId: string) => boolean;
  /** See ObservedState.profilesMatchingApplied (reconcile/plan.ts). */
  readonly profilesMatchingApplied: ReadonlySet<string> | null;
  readonly chunkCustomers?: number;
}

/** One planned chunk: its operations, and whether it is the last. */
export interface PlannedChunk {
  readonly operations: PlanOperation[];
  /** Customers in the chunk. */
  readonly customers: number;
  readonly last: boolean;
}

/**
 * The plan stage, chunk by chunk: the stored Shopify customers (their observed tags) joined by
 * id with the segments, planned `PLAN_CHUNK_CUSTOMERS` at a time. Only the operations of the
 * chunk being planned are in memory; `summary()` adds them all up once every chunk has been
 * planned. Pure apart from reading the store, so a second pass over the same source (the
 * apply, after the guard) gives the same operations.
 *
 * @example
 * const pass = planPass(source);
 * for (const chunk of pass.chunks()) count(chunk.operations);
 * pass.summary().changedCustomers;
 */
export function planPass(source: PlanSource, owners: ProfileOwners | null = klaviyoOwners(source)) {
  const { store, segments, config } = source;
  const applied = source.applied;
  const planner = createPlanner({
    config, now: source.now, retiredLists: source.retiredLists, listMembers: source.observedLists?.members ?? null, owners, applied,
    profilesMatchingApplied: source.profilesMatchingApplied, leaving: source.leaving,
  });
  const size = source.chunkCustomers ?? PLAN_CHUNK_CUSTOMERS;
  const desiredAt = (index: number) => {
    const segment = segments.at(index);
    const desired = desiredCustomer(segment, config, source.currency, source.isHeldOut(segment.customerId));
    return source.outOfKlaviyo?.[index] ? { ...desired, email: null } : desired;
  };
  // Desired states are made just before their chunk is planned and dropped once it is: while
  // a chunk is applied, the run holds its operations and the next chunk's store rows only.
  const plan = (entries: readonly MergedCustomer[], last: boolean): PlannedChunk => {
    const customers = entries.map(({ segmentIndex, ...observed }): ChunkCustomer => (segmentIndex === null ? observed : { ...observed, desired: desiredAt(segmentIndex) }));
    return { operations: planner.planChunk(customers, { last }), customers: customers.length, last };
  };
  return {
    owners,
    *chunks(): Generator<PlannedChunk> {
      // One chunk read ahead: the last one also plans the unowned list members.
      let pending: MergedCustomer[] | null = null;
      for (const entries of customerChunks(store, segments, size)) {
        if (pending) {
          const planned = plan(pending, false);
          pending = entries;
          yield planned;
        } else pending = entries;
      }
      yield plan(pending ?? [], true);
    },
    summary: (): PlanSummary => planner.summary(),
  };
}

/** Which customer each Klaviyo profile follows, over the whole shop; null without Klaviyo. */
function klaviyoOwners(source: PlanSource): ProfileOwners | null {
  if (!source.observedLists) return null;
  const { segments } = source;
  function* customers() {
    for (let i = 0; i < segments.length; i++) {
      const email = source.outOfKlaviyo?.[i] ? null : (segments.email(i)?.toLowerCase() ?? null);
      yield { customerId: segments.customerId(i), email, tier: segments.tier(i) };
    }
  }
  return profileOwners(customers(), source.config);
}

/** A customer of a chunk before its desired state is made: its segment's index (null: not segmented) and what Shopify shows. */
type MergedCustomer = Omit<ChunkCustomer, 'desired'> & { readonly segmentIndex: number | null };

/**
 * Stored customers and segments merged by id (both sorted by plain string order), in chunks.
 * The store is read a page at a time, so nothing holds a statement open while the apply writes.
 */
function* customerChunks(store: Store, segments: SegmentColumns, size: number): Generator<MergedCustomer[]> {
  let page = store.customers.customersAfter(null, size);
  let p = 0;
  let i = 0;
  let chunk: MergedCustomer[] = [];
  for (;;) {
    if (p === page.length && page.length === size) {
      page = store.customers.customersAfter(page[page.length - 1]!.id, size);
      p = 0;
    }
    const observed = p < page.length ? page[p] : undefined;
    const segmentId = i < segments.length ? segments.customerId(i) : undefined;
    if (!observed && segmentId === undefined) break;
    if (observed && (segmentId === undefined || observed.id < segmentId)) {
      chunk.push({ customerId: observed.id, segmentIndex: null, observedTags: observed.tags, observedMetafields: observed.metafields });
      p++;
    } else if (!observed || segmentId! < observed.id) {
      chunk.push({ customerId: segmentId!, segmentIndex: i });
      i++;
    } else {
      chunk.push({ customerId: segmentId!, segmentIndex: i, observedTags: observed.tags, observedMetafields: observed.metafields });
      i++;
      p++;
    }
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}
