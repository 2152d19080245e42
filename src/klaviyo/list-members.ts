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
  let cursor: string | null = null;
  do {
    const pageCursor: string | undefined = cursor ?? undefined;
    const page = await transport.send(
      {
        endpoint: 'get_profile_ids_for_list',
        operation: `GET /api/lists/${listId}/relationships/profiles`,
        schema: profileIdsResponse,
      },
      () => transport.lists.getProfileIdsForList(listId, { pageSize: 100, pageCursor }),
    );
    for (const profile of page.data) ids.push(profile.id);
    cursor = nextCursor(page.links);
  } while (cursor !== null);
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
export async function listMembers(transport: KlaviyoTransport, listId: string): Promise<ListMember[]> {
  const members: ListMember[] = [];
  let cursor: string | null = null;
  do {
    const pageCursor: string | undefined = cursor ?? undefined;
    const page = await transport.send(
      { endpoint: 'get_profiles_for_list', operation: `GET /api/lists/${listId}/profiles`, schema: profilesResponse },
      () => transport.lists.getProfilesForList(listId, { fieldsProfile: ['email'], pageSize: 100, pageCursor }),
    );
    for (const profile of page.data) members.push({ id: profile.id, email: profile.attributes.email?.toLowerCase() ?? null });
    cursor = nextCursor(page.links);
  } while (cursor !== null);
  return members;
}

/**
 * Adds profiles to a list in calls of ≤ 1,000, a few at a time. Adding a member twice is a
 * no-op at Klaviyo, so a retried call cannot double anything. Returns the calls made.
 *
 * @example
 * await addListMembers(transport, 'XyZ123', ['01K…']); // 1
 */
export function addListMembers(
  transport: KlaviyoTransport,
  listId: string,
  profileIds: readonly string[],
  options: { readonly concurrency?: number } = {},
): Promise<number> {
  return inBatches(profileIds, options.concurrency, (batch) =>
    transport.send(
      {
        endpoint: 'add_profiles_to_list',
        operation: `POST /api/lists/${listId}/relationships/profiles`,
        schema: noContent,
      },
      () => transport.lists.addProfilesToList(listId, { data: batch.map((id) => ({ type: 'profile', id })) }),
    ),
  );
}

/**
 * Removes profiles from a list (membership only: never unsubscribes), ≤ 1,000 a call.
 *
 * @example
 * await removeListMembers(transport, 'XyZ123', ['01K…']); // 1
 */
export function removeListMembers(
  transport: KlaviyoTransport,
  listId: string,
  profileIds: readonly string[],
  options: { readonly concurrency?: number } = {},
): Promise<number> {
  return inBatches(profileIds, options.concurrency, (batch) =>
    transport.send(
      {
        endpoint: 'remove_profiles_from_list',
        operation: `DELETE /api/lists/${listId}/relationships/profiles`,
        schema: noContent,
      },
      () => transport.lists.removeProfilesFromList(listId, { data: batch.map((id) => ({ type: 'profile', id })) }),
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
