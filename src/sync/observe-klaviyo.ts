import type { Config } from '../config/schema.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import { managedListNames } from '../reconcile/managed.ts';
import type { Progress } from './progress.ts';

export interface KlaviyoObservation {
  /** Managed list name → Klaviyo list id; null when the list does not exist yet (the apply creates it). */
  readonly listIds: ReadonlyMap<string, string | null>;
  /** Managed list name → member emails (lower-cased). */
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Managed list name → email → profile id, for removals: every member of a list read in full,
   * the sampled ones of a list taken as the journal says (the apply looks the others up).
   */
  readonly memberIds: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Members without an email (phone-only profiles) in the lists read in full: left alone, counted. */
  readonly membersWithoutEmail: number;
  /** Lists whose members were all read this run (the others: size and a sample agreed with the journal). */
  readonly readInFull: string[];
}

/** Members of a list checked against the journal when it is not read in full: its first page. */
const SAMPLE_PAGES = 1;

/**
 * Observes every managed Klaviyo list; writes nothing (a missing list counts as empty: the
 * journaled apply creates it, after the guard, and only in a sync). Reading a list's members
 * costs a call per 100, so between full observations (`full`: the cadence of
 * `klaviyo.full_observation_days`, or `--full`) a list is trusted to hold what tiersync's
 * applied state says (`expected`) when Klaviyo's own count of it and its first page of
 * members agree; any difference and that list is read in full, so drift is never taken for
 * the journal's word, and a full run reads everything.
 *
 * @example
 * const observed = await observeKlaviyo({ klaviyo, config, progress, full: false, expected: () => fromAppliedState() });
 */
export async function observeKlaviyo(deps: {
  klaviyo: KlaviyoClient;
  config: Config;
  progress: Progress;
  /** Lists managed before under names the config dropped: read (never created) to clean them up. */
  retiredLists?: readonly string[];
  full: boolean;
  /** List name → the (lower-cased) emails tiersync's applied state has in it; asked only when not `full`. */
  expected: () => ReadonlyMap<string, ReadonlySet<string>>;
}): Promise<KlaviyoObservation> {
  const { klaviyo, config, progress } = deps;
  const configured = managedListNames(config);
  const names = [...configured, ...(deps.retiredLists ?? []).filter((name) => !configured.includes(name))];
  const phase = progress.phase('read Klaviyo lists', names.length);
  const listIds = new Map<string, string | null>();
  const members = new Map<string, ReadonlySet<string>>();
  const memberIds = new Map<string, Map<string, string>>();
  const readInFull: string[] = [];
  let expected: ReadonlyMap<string, ReadonlySet<string>> | null = null;
  let membersWithoutEmail = 0;
  for (const name of names) {
    const id = await klaviyo.findList(name);
    listIds.set(name, id);
    if (id === null) {
      members.set(name, new Set());
      memberIds.set(name, new Map());
    } else {
      const trusted = deps.full ? null : await trustedMembers(klaviyo, id, (expected ??= deps.expected()).get(name) ?? new Set());
      if (trusted) {
        members.set(name, trusted.members);
        memberIds.set(name, trusted.sampleIds);
      } else {
        const byEmail = new Map<string, string>();
        for (const member of await klaviyo.listMembers(id)) {
          if (member.email) byEmail.set(member.email, member.id);
          else membersWithoutEmail++;
        }
        members.set(name, new Set(byEmail.keys()));
        memberIds.set(name, byEmail);
        readInFull.push(name);
      }
    }
    phase.tick();
  }
  phase.done(`${readInFull.length} of ${names.length} read in full`);
  return { listIds, members, memberIds, membersWithoutEmail, readInFull };
}

/** The journal's members of a list, when Klaviyo's count and first page agree with them; null otherwise. */
async function trustedMembers(klaviyo: KlaviyoClient, listId: string, expected: ReadonlySet<string>) {
  const size = await klaviyo.segments.listSize(listId);
  if (size !== expected.size) return null;
  const sample = await klaviyo.listMembers(listId, { maxPages: SAMPLE_PAGES });
  const sampleIds = new Map<string, string>();
  for (const member of sample) {
    if (!member.email || !expected.has(member.email)) return null;
    sampleIds.set(member.email, member.id);
  }
  return { members: expected, sampleIds };
}
