import { z } from 'zod';
import { checkAccess } from './check-access.ts';
import { AuthError, InternalError } from '../errors.ts';
import { findList, findOrCreateList, type KlaviyoList } from './find-or-create-list.ts';
import { addListMembers, listMemberIds, listMembers, removeListMembers, type ListMember } from './list-members.ts';
import { profileIdsForEmails, profileIdsForExternalIds } from './profile-ids.ts';
import { klaviyoSegments, type KlaviyoSegments } from './segments.ts';
import { readProfiles, type ProfileSnapshot } from './read-profiles.ts';
import { createKlaviyoTransport, type KlaviyoStats, type KlaviyoTransportDeps } from './transport.ts';
import { upsertProfiles, type ImportJobRef, type ProfileUpsert } from './upsert-profiles.ts';
import { waitForImportJob, type ImportJobResult, type WaitOptions } from './wait-for-import-job.ts';

export type KlaviyoClientDeps = KlaviyoTransportDeps;

export interface KlaviyoClient {
  /** Starts bulk import jobs (≤ 10,000 profiles and < 5 MB each); wait for each with `waitForImportJob`. */
  upsertProfiles(profiles: readonly ProfileUpsert[], options?: { readonly listIds?: readonly string[] }): Promise<ImportJobRef[]>;
  waitForImportJob(jobId: string, options?: WaitOptions): Promise<ImportJobResult>;
  findOrCreateList(name: string): Promise<KlaviyoList>;
  /** The list's id, or null when there is none (creates nothing). */
  findList(name: string): Promise<string | null>;
  listMemberIds(listId: string): Promise<string[]>;
  /** Members with their emails (reconcile knows desired members by email). */
  /** `maxPages`: only the first pages (100 members each), e.g. a sample. */
  listMembers(listId: string, options?: { readonly maxPages?: number }): Promise<ListMember[]>;
  /** Each returns the number of calls made (≤ 1,000 profiles a call). */
  addListMembers(listId: string, profileIds: readonly string[]): Promise<number>;
  removeListMembers(listId: string, profileIds: readonly string[]): Promise<number>;
  profileIdsForEmails(emails: readonly string[]): Promise<Map<string, string>>;
  profileIdsForExternalIds(externalIds: readonly string[]): Promise<Map<string, string>>;
  /** One page of lists and one profile: throws AuthError for a wrong key (before anything else is read) or a missing read scope. */
  checkAccess(): Promise<void>;
  /** Every profile, a page at a time, with its properties cut to those starting with `prefix`; returns the count. */
  readProfiles(prefix: string, onPage: (profiles: ProfileSnapshot[]) => void | Promise<void>): Promise<number>;
  /** tiersync's segments: find by name or id, create, update; list sizes. */
  readonly segments: KlaviyoSegments;
  stats(): KlaviyoStats;
}

const depsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeScale: z.number().positive().optional(),
  timeoutMs: z.number().positive().optional(),
  maxAttempts: z.number().int().min(1).optional(),
});

/**
 * The Klaviyo side of tiersync: profile properties through bulk import jobs, managed lists and
 * their members, every call under its endpoint's published limits, retried with jittered
 * backoff when that is safe, and answered with the errors of src/errors.ts.
 *
 * @example
 * const klaviyo = createKlaviyoClient({ apiKey: process.env.KLAVIYO_API_KEY ?? '',
 *   baseUrl: process.env.TIERSYNC_KLAVIYO_URL, sleep, now: Date.now, random: Math.random });
 * const [job] = await klaviyo.upsertProfiles([{ email: 'a@example.com', externalId: '7100000001',
 *   properties: { tiersync_tier: 'vip' } }]);
 * await klaviyo.waitForImportJob(job.jobId);
 */
export function createKlaviyoClient(deps: KlaviyoClientDeps): KlaviyoClient {
  if (deps.apiKey.trim() === '') {
    throw new AuthError('KLAVIYO_API_KEY is empty; set it to a Klaviyo private API key', {
      service: 'klaviyo',
      operation: 'configure client',
    });
  }
  const checked = depsSchema.safeParse(deps);
  // The options come from code and from variables src/config/env.ts has validated already.
  if (!checked.success) throw new InternalError(`klaviyo client: invalid options: ${z.prettifyError(checked.error)}`);
  const transport = createKlaviyoTransport(deps);
  return {
    upsertProfiles: (profiles, options) => upsertProfiles(transport, profiles, options),
    waitForImportJob: (jobId, options) => waitForImportJob(transport, deps, jobId, options),
    findList: (name) => findList(transport, name),
    findOrCreateList: (name) => findOrCreateList(transport, deps, name),
    listMemberIds: (listId) => listMemberIds(transport, listId),
    listMembers: (listId, options) => listMembers(transport, listId, options),
    addListMembers: (listId, ids) => addListMembers(transport, listId, ids),
    removeListMembers: (listId, ids) => removeListMembers(transport, listId, ids),
    profileIdsForEmails: (emails) => profileIdsForEmails(transport, emails),
    profileIdsForExternalIds: (externalIds) => profileIdsForExternalIds(transport, externalIds),
    readProfiles: (prefix, onPage) => readProfiles(transport, prefix, onPage),
    segments: klaviyoSegments(transport, deps),
    checkAccess: () => checkAccess(transport),
    stats: () => transport.stats(),
  };
}
