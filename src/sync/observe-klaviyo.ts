import type { Config } from '../config/schema.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import { managedListNames } from '../reconcile/managed.ts';
import type { Progress } from './progress.ts';

export interface KlaviyoObservation {
  /** Managed list name → Klaviyo list id; null when the list does not exist (dry run). */
  readonly listIds: ReadonlyMap<string, string | null>;
  /** Managed list name → member emails (lower-cased). */
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
  /** Managed list name → email → profile id, for removals. */
  readonly memberIds: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** Members without an email (phone-only profiles): left alone, counted. */
  readonly membersWithoutEmail: number;
  readonly listsCreated: string[];
}

/**
 * Reads the members of every managed Klaviyo list. A sync creates missing lists by name
 * (docs/DESIGN.md "Outputs"); a dry run (`create: false`) creates nothing and treats a missing
 * list as empty.
 *
 * @example
 * const observed = await observeKlaviyo({ klaviyo, config, create: true, progress });
 */
export async function observeKlaviyo(deps: {
  klaviyo: KlaviyoClient;
  config: Config;
  create: boolean;
  progress: Progress;
  /** Lists managed before under names the config dropped: read (never created) to clean them up. */
  retiredLists?: readonly string[];
}): Promise<KlaviyoObservation> {
  const { klaviyo, config, progress } = deps;
  const configured = managedListNames(config);
  const names = [...configured, ...(deps.retiredLists ?? []).filter((name) => !configured.includes(name))];
  const phase = progress.phase('read Klaviyo lists', names.length);
  const listIds = new Map<string, string | null>();
  const members = new Map<string, Set<string>>();
  const memberIds = new Map<string, Map<string, string>>();
  const listsCreated: string[] = [];
  let membersWithoutEmail = 0;
  for (const name of names) {
    let id: string | null;
    if (deps.create && configured.includes(name)) {
      const list = await klaviyo.findOrCreateList(name);
      if (list.created) listsCreated.push(name);
      id = list.id;
    } else {
      id = await klaviyo.findList(name);
    }
    listIds.set(name, id);
    const byEmail = new Map<string, string>();
    if (id !== null) {
      for (const member of await klaviyo.listMembers(id)) {
        if (member.email) byEmail.set(member.email, member.id);
        else membersWithoutEmail++;
      }
    }
    members.set(name, new Set(byEmail.keys()));
    memberIds.set(name, byEmail);
    phase.tick();
  }
  phase.done(listsCreated.length ? `created ${listsCreated.join(', ')}` : undefined);
  return { listIds, members, memberIds, membersWithoutEmail, listsCreated };
}
