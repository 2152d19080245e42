import PQueue from 'p-queue';
import { InternalError } from '../errors.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { ImportJobRef, ProfileUpsert } from '../klaviyo/upsert-profiles.ts';
import type { PlanOperation } from '../reconcile/plan.ts';
import type { ApplyJournal } from './journaled-apply.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import { klaviyoExternalId } from './profile-identity.ts';
import type { Progress } from './progress.ts';

type ListOp = Extract<PlanOperation, { kind: 'list_add' | 'list_remove' }>;
type UnsetOp = Extract<PlanOperation, { kind: 'profiles_unset' }>;

/** What one profile gets from the plan: changed properties and lists to join. */
interface ProfileWrite {
  readonly email: string;
  readonly customerId: string;
  readonly properties: ProfileUpsert['properties'];
  readonly lists: string[];
  readonly ops: PlanOperation[];
}

/** Profiles per journal step (the import jobs split further by 10,000 and 5 MB). */
const CHUNK = 20_000;
const CHUNKS_IN_FLIGHT = 4;

export interface KlaviyoApplyResult {
  readonly importErrors: { readonly email: string; readonly reason: string }[];
  readonly jobs: number;
}

/**
 * Writes the Klaviyo part of a plan. Property upserts and list additions travel together in
 * bulk import jobs: one group per set of lists to join, the job's `relationships.lists`
 * adding every profile of it, matched by email, so list additions need no profile-id lookups.
 * Only a profile tiersync creates (`creates`) gets an `external_id`; an existing profile's is
 * never sent, so never changed. Removals use the member ids read while observing.
 * List membership is never consent: nobody is subscribed or unsubscribed.
 *
 * @example
 * await applyKlaviyo({ klaviyo, journal, progress, observed, listIds, creates }, chunk.operations);
 */
export async function applyKlaviyo(
  deps: {
    klaviyo: KlaviyoClient;
    journal: ApplyJournal;
    progress: Progress;
    observed: KlaviyoObservation;
    /** List name → id, for every list the operations name (created by the apply when missing). */
    listIds: ReadonlyMap<string, string | null>;
    /** Emails with no Klaviyo profile yet (see profilesToCreate). */
    creates: ReadonlySet<string>;
    signal?: AbortSignal | undefined;
  },
  operations: readonly PlanOperation[],
): Promise<KlaviyoApplyResult> {
  const result = { importErrors: [] as { email: string; reason: string }[], jobs: 0 };
  const listId = (name: string) => {
    const id = deps.listIds.get(name);
    if (!id) throw new InternalError(`Klaviyo list "${name}" has no id: it was neither found nor created before the apply`);
    return id;
  };

  const groups = profileWriteGroups(operations);
  const profileCount = groups.reduce((sum, group) => sum + group.entries.length, 0);
  const phase = profileCount ? deps.progress.phase('Klaviyo profiles + list adds', profileCount) : null;
  const chunks: { listIds: string[]; entries: ProfileWrite[] }[] = [];
  for (const group of groups) {
    const listIds = group.lists.map(listId);
    for (let start = 0; start < group.entries.length; start += CHUNK) chunks.push({ listIds, entries: group.entries.slice(start, start + CHUNK) });
  }
  // Jobs run at Klaviyo while we wait: several chunks in flight keep the import endpoint busy
  // (the client's limiter holds the request rate to the published 10/s, 150/min).
  const queue = new PQueue({ concurrency: CHUNKS_IN_FLIGHT });
  await Promise.all(chunks.map((chunk) => queue.add(() => importChunk(chunk.entries, chunk.listIds))));

  async function importChunk(entries: ProfileWrite[], listIds: string[]): Promise<void> {
    const profiles: ProfileUpsert[] = entries.map((e) =>
      deps.creates.has(e.email) && e.customerId
        ? { email: e.email, externalId: klaviyoExternalId(e.customerId), properties: e.properties }
        : { email: e.email, properties: e.properties },
    );
    deps.signal?.throwIfAborted();
    deps.journal.sent(entries.flatMap((e) => e.ops));
    const jobs = await deps.klaviyo.upsertProfiles(profiles, { listIds });
    result.jobs += jobs.length;
    const failed = await importFailures(deps.klaviyo, jobs, profiles.map((profile) => profile.email));
    const landed: PlanOperation[] = [];
    for (const e of entries) {
      const reason = failed.get(e.email);
      if (reason === undefined) landed.push(...e.ops);
      else {
        deps.journal.fail(e.ops, reason);
        result.importErrors.push({ email: e.email, reason });
      }
    }
    deps.journal.confirm(landed);
    phase?.tick(entries.length);
  }
  phase?.done(`${result.jobs} import jobs`);

  // Customers who left the segmented population: tiersync's properties come off their
  // profiles. A profile that no longer exists has nothing to take off, and importing it
  // would create one.
  const unsets = operations.filter((op): op is UnsetOp => op.kind === 'profiles_unset');
  if (unsets.length) {
    const unsetPhase = deps.progress.phase('Klaviyo property removals', unsets.length);
    const absent = unsets.filter((op) => deps.creates.has(op.target));
    deps.journal.confirm(absent);
    const present = unsets.filter((op) => !deps.creates.has(op.target));
    for (let start = 0; start < present.length; start += CHUNK) {
      const chunk = present.slice(start, start + CHUNK);
      deps.signal?.throwIfAborted();
      deps.journal.sent(chunk);
      const jobs = await deps.klaviyo.upsertProfiles(chunk.map((op) => ({ email: op.target, properties: {}, unset: op.payload.keys })));
      result.jobs += jobs.length;
      const failed = await importFailures(deps.klaviyo, jobs, chunk.map((op) => op.target));
      for (const op of chunk) {
        const reason = failed.get(op.target);
        if (reason === undefined) continue;
        deps.journal.fail([op], reason);
        result.importErrors.push({ email: op.target, reason });
      }
      deps.journal.confirm(chunk.filter((op) => !failed.has(op.target)));
      unsetPhase.tick(chunk.length);
    }
    unsetPhase.done();
  }

  const byList = removalsByList(operations);
  if (byList.size) {
    const removePhase = deps.progress.phase('Klaviyo list removals', [...byList.values()].reduce((sum, ops) => sum + ops.length, 0));
    for (const [list, ops] of byList) {
      const ids = deps.observed.memberIds.get(list) ?? new Map<string, string>();
      for (let start = 0; start < ops.length; start += CHUNK) {
        const chunk = ops.slice(start, start + CHUNK);
        deps.signal?.throwIfAborted();
        // A list taken as the journal says holds ids only for its sampled members: look the rest up.
        const unknown = chunk.map((op) => op.target).filter((email) => !ids.has(email));
        const found = unknown.length ? await deps.klaviyo.profileIdsForEmails(unknown) : new Map<string, string>();
        deps.journal.sent(chunk);
        await deps.klaviyo.removeListMembers(listId(list), chunk.map((op) => ids.get(op.target) ?? found.get(op.target)).filter((id): id is string => id !== undefined));
        deps.journal.confirm(chunk);
        removePhase.tick(chunk.length);
      }
    }
    removePhase.done();
  }
  return result;
}

/**
 * The Klaviyo operations in the order applyKlaviyo sends them: profile writes by set of lists
 * to join, then property removals, then list removals by list. Journaled in this order, each
 * batch marked sent or confirmed is a run of neighbouring journal rows, not rows spread over
 * the whole chunk.
 *
 * @example
 * journal.record([...shopifyOperations, ...inKlaviyoSendOrder(chunk.operations)]);
 */
export function inKlaviyoSendOrder(operations: readonly PlanOperation[]): PlanOperation[] {
  const ordered: PlanOperation[] = [];
  for (const group of profileWriteGroups(operations)) for (const entry of group.entries) for (const op of entry.ops) ordered.push(op);
  for (const op of operations) if (op.kind === 'profiles_unset') ordered.push(op);
  for (const ops of removalsByList(operations).values()) for (const op of ops) ordered.push(op);
  return ordered;
}

/**
 * Profile writes grouped by email (the properties to upsert and the lists to join), then by
 * set of lists (one import job adds a whole group to its lists), groups ordered by list names.
 */
function profileWriteGroups(operations: readonly PlanOperation[]): { lists: string[]; entries: ProfileWrite[] }[] {
  const byEmail = new Map<string, ProfileWrite>();
  for (const op of operations) {
    if (op.kind !== 'profiles_upsert' && op.kind !== 'list_add') continue;
    const entry = byEmail.get(op.target) ?? { email: op.target, customerId: op.payload.customerId ?? '', properties: {}, lists: [], ops: [] };
    if (op.kind === 'profiles_upsert') Object.assign(entry.properties, op.payload.properties);
    else entry.lists.push(op.payload.list);
    entry.ops.push(op);
    byEmail.set(op.target, entry);
  }
  const groups = new Map<string, ProfileWrite[]>();
  for (const entry of byEmail.values()) {
    const key = [...entry.lists].sort().join('\u0000');
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, entries]) => ({ lists: key ? key.split('\u0000') : [], entries }));
}

/** List removals by list, in the order the lists first appear. */
function removalsByList(operations: readonly PlanOperation[]): Map<string, ListOp[]> {
  const byList = new Map<string, ListOp[]>();
  for (const op of operations) {
    if (op.kind !== 'list_remove') continue;
    const ops = byList.get(op.payload.list);
    if (ops) ops.push(op);
    else byList.set(op.payload.list, [op]);
  }
  return byList;
}

/**
 * Waits for import `jobs` started for `emails` (in that order) and gives the reason each failed
 * email did not land: its profile error in a job, or its job cancelled.
 */
async function importFailures(klaviyo: KlaviyoClient, jobs: readonly ImportJobRef[], emails: readonly string[]): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const outcomes = await Promise.all(jobs.map((job) => klaviyo.waitForImportJob(job.jobId)));
  outcomes.forEach((outcome, index) => {
    for (const error of outcome.errors) if (error.email) failed.set(error.email.toLowerCase(), `${error.title}: ${error.detail}`);
    if (outcome.status === 'cancelled') {
      const job = jobs[index]!;
      for (const email of emails.slice(job.first, job.first + job.count)) failed.set(email, 'import job cancelled');
    }
  });
  return failed;
}
