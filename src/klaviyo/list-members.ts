import PQueue from 'p-queue';
import type { KlaviyoTransport } from './transport.ts';
import { noContent, nextCursor, profileIdsResponse, profilesResponse } from './responses.ts';

// Add/Remove Profiles to/from List: "This endpoint accepts a maximum of 1000 profiles per call."
export const MAX_PROFILES_PER_LIST_CALL = 1000;

/**
 * Every profile id in the list, sorted (relationships endpoint, 100 a page).
 *
 * @example
 * await listMemberIds(transport, 'XyZ123'); // ['01K…', '01K…']
 */
export async function listMemberIds(transport: KlaviyoTransport, listId: string): Promise<string[]> {
  const ids: string[] = [];
  await eachPage(
    (pageCursor) =>
      transport.send(
        { endpoint: 'get_profile_ids_for_list', operation: `GET /api/lists/${listId}/relationships/profiles`, schema: profileIdsResponse },
        () => transport.lists.getProfileIdsForList(listId, { pageSize: 100, pageCursor }),
      ),
    (profile) => ids.push(profile.id),
  );
  return ids.sort();
}

export interface ListMember {
  readonly id: string;
  /** Lower-cased; null for a profile without email (a phone-only profile). */
  readonly email: string | null;
}

/**
 * Every member of a list with its email (100 a page, `fields[profile]=email`): what reconcile
 * compares with the desired members, which it knows by email.
 *
 * @example
 * await listMembers(transport, 'XyZ123'); // [{ id: '01K…', email: 'a@example.com' }]
 */
export async function listMembers(transport: KlaviyoTransport, listId: string, options: { readonly maxPages?: number } = {}): Promise<ListMember[]> {
  const members: ListMember[] = [];
  await eachPage(
    (pageCursor) =>
      transport.send(
        { endpoint: 'get_profiles_for_list', operation: `GET /api/lists/${listId}/profiles`, schema: profilesResponse },
        () => transport.lists.getProfilesForList(listId, { fieldsProfile: ['email'], pageSize: 100, pageCursor }),
      ),
    (profile) => members.push({ id: profile.id, email: profile.attributes.email?.toLowerCase() ?? null }),
    options.maxPages,
  );
  return members;
}

/** Follows `links.next` cursors from the first page to the last, handing on every item. */
async function eachPage<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ data: T[]; links?: { next?: string | null | undefined } | undefined }>,
  onItem: (item: T) => void,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<void> {
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await fetchPage(cursor ?? undefined);
    page.data.forEach(onItem);
    cursor = nextCursor(page.links);
    pages++;
  } while (cursor !== null && pages < maxPages);
}

/** The two membership writes: the same body and limits, another method. */
const MEMBERSHIP = {
  add: { endpoint: 'add_profiles_to_list', method: 'POST', send: (t: KlaviyoTransport, id: string, body: MembershipBody) => t.lists.addProfilesToList(id, body) },
  remove: { endpoint: 'remove_profiles_from_list', method: 'DELETE', send: (t: KlaviyoTransport, id: string, body: MembershipBody) => t.lists.removeProfilesFromList(id, body) },
} as const;

type MembershipBody = { data: { type: 'profile'; id: string }[] };

/**
 * Adds profiles to a list in calls of ≤ 1,000, a few at a time. Adding a member twice is a
 * no-op at Klaviyo, so a retried call cannot double anything. Returns the calls made.
 *
 * @example
 * await addListMembers(transport, 'XyZ123', ['01K…']); // 1
 */
export function addListMembers(transport: KlaviyoTransport, listId: string, profileIds: readonly string[], options: { readonly concurrency?: number } = {}): Promise<number> {
  return changeMembers('add', transport, listId, profileIds, options.concurrency);
}

/**
 * Removes profiles from a list (membership only: never unsubscribes), ≤ 1,000 a call.
 *
 * @example
 * await removeListMembers(transport, 'XyZ123', ['01K…']); // 1
 */
export function removeListMembers(transport: KlaviyoTransport, listId: string, profileIds: readonly string[], options: { readonly concurrency?: number } = {}): Promise<number> {
  return changeMembers('remove', transport, listId, profileIds, options.concurrency);
}

function changeMembers(kind: keyof typeof MEMBERSHIP, transport: KlaviyoTransport, listId: string, profileIds: readonly string[], concurrency: number | undefined): Promise<number> {
  const { endpoint, method, send } = MEMBERSHIP[kind];
  return inBatches(profileIds, concurrency, (batch) =>
    transport.send(
      { endpoint, operation: `${method} /api/lists/${listId}/relationships/profiles`, schema: noContent },
      () => send(transport, listId, { data: batch.map((id) => ({ type: 'profile', id })) }),
    ),
  );
}

async function inBatches(
  ids: readonly string[],
  concurrency: number | undefined,
  send: (batch: string[]) => Promise<unknown>,
): Promise<number> {
  const unique = [...new Set(ids)];
  const queue = new PQueue({ concurrency: concurrency ?? 4 });
  const sends: Promise<unknown>[] = [];
  for (let start = 0; start < unique.length; start += MAX_PROFILES_PER_LIST_CALL) {
    const batch = unique.slice(start, start + MAX_PROFILES_PER_LIST_CALL);
    sends.push(queue.add(() => send(batch)));
  }
  await Promise.all(sends);
  return sends.length;
}
