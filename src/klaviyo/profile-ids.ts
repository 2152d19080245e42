import PQueue from 'p-queue';
import type { KlaviyoTransport } from './transport.ts';
import { nextCursor, profilesResponse } from './responses.ts';

/** Emails per `any(email,[…])` filter: one full page of get_profiles (max page size 100). */
const EMAILS_PER_CALL = 100;

/**
 * Klaviyo profile ids for emails, via `GET /api/profiles?filter=any(email,[…])` (75/s, 750/m,
 * the read tier; the job's own profile listing is the 10/s tier). Emails compare
 * case-insensitively; an email with no profile is absent from the map.
 *
 * @example
 * await profileIdsForEmails(transport, ['a@example.com']); // Map { 'a@example.com' => '01K…' }
 */
export async function profileIdsForEmails(
  transport: KlaviyoTransport,
  emails: readonly string[],
  options: { readonly concurrency?: number } = {},
): Promise<Map<string, string>> {
  const wanted = new Map<string, string[]>();
  for (const email of emails) {
    const key = email.toLowerCase();
    wanted.set(key, [...(wanted.get(key) ?? []), email]);
  }
  const keys = [...wanted.keys()].sort();
  const found = new Map<string, string>();
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  const lookups: Promise<void>[] = [];
  for (let start = 0; start < keys.length; start += EMAILS_PER_CALL) {
    const batch = keys.slice(start, start + EMAILS_PER_CALL);
    lookups.push(
      queue.add(async () => {
        const filter = `any(email,[${batch.map((email) => JSON.stringify(email)).join(',')}])`;
        let cursor: string | null = null;
        do {
          const pageCursor: string | undefined = cursor ?? undefined;
          const page = await transport.send(
            { endpoint: 'get_profiles', operation: 'GET /api/profiles', schema: profilesResponse },
            () => transport.profiles.getProfiles({ filter, fieldsProfile: ['email'], pageSize: EMAILS_PER_CALL, pageCursor }),
          );
          for (const profile of page.data) {
            const email = profile.attributes.email?.toLowerCase();
            if (email !== undefined && wanted.has(email)) found.set(email, profile.id);
          }
          cursor = nextCursor(page.links);
        } while (cursor !== null);
      }),
    );
  }
  await Promise.all(lookups);
  const result = new Map<string, string>();
  for (const [key, originals] of wanted) {
    const id = found.get(key);
    if (id !== undefined) for (const email of originals) result.set(email, id);
  }
  return result;
}
