import PQueue from 'p-queue';
import type { KlaviyoTransport } from './transport.ts';
import { nextCursor, profileIdentifiersResponse } from './responses.ts';

/** Values per `any(field,[…])` filter: one full page of get_profiles (max page size 100). */
const VALUES_PER_CALL = 100;

type Identifier = 'email' | 'external_id';

/**
 * Klaviyo profile ids for emails, via `GET /api/profiles?filter=any(email,[…])` (75/s, 750/m,
 * the read tier; the job's own profile listing is the 10/s tier). Emails compare
 * case-insensitively; an email with no profile is absent from the map.
 *
 * @example
 * await profileIdsForEmails(transport, ['a@example.com']); // Map { 'a@example.com' => '01K…' }
 */
export function profileIdsForEmails(transport: KlaviyoTransport, emails: readonly string[], options: { readonly concurrency?: number } = {}): Promise<Map<string, string>> {
  return profileIdsBy(transport, 'email', emails, options.concurrency ?? 4);
}

/**
 * Klaviyo profile ids for external ids (`any(external_id,[…])`), compared exactly; an external
 * id no profile carries is absent from the map.
 *
 * @example
 * await profileIdsForExternalIds(transport, ['7100000001']); // Map { '7100000001' => '01K…' }
 */
export function profileIdsForExternalIds(transport: KlaviyoTransport, externalIds: readonly string[], options: { readonly concurrency?: number } = {}): Promise<Map<string, string>> {
  return profileIdsBy(transport, 'external_id', externalIds, options.concurrency ?? 4);
}

async function profileIdsBy(transport: KlaviyoTransport, field: Identifier, values: readonly string[], concurrency: number): Promise<Map<string, string>> {
  const normalize = (value: string) => (field === 'email' ? value.toLowerCase() : value);
  const wanted = new Map<string, string[]>();
  for (const value of values) {
    const key = normalize(value);
    wanted.set(key, [...(wanted.get(key) ?? []), value]);
  }
  const keys = [...wanted.keys()].sort();
  const found = new Map<string, string>();
  const queue = new PQueue({ concurrency });
  const lookups: Promise<void>[] = [];
  for (let start = 0; start < keys.length; start += VALUES_PER_CALL) {
    const batch = keys.slice(start, start + VALUES_PER_CALL);
    lookups.push(
      queue.add(async () => {
        const filter = `any(${field},[${batch.map((value) => JSON.stringify(value)).join(',')}])`;
        let cursor: string | null = null;
        do {
          const pageCursor: string | undefined = cursor ?? undefined;
          const page = await transport.send(
            { endpoint: 'get_profiles', operation: 'GET /api/profiles', schema: profileIdentifiersResponse },
            () => transport.profiles.getProfiles({ filter, fieldsProfile: [field], pageSize: VALUES_PER_CALL, pageCursor }),
          );
          for (const profile of page.data) {
            const value = profile.attributes[field];
            if (typeof value === 'string' && wanted.has(normalize(value))) found.set(normalize(value), profile.id);
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
    if (id !== undefined) for (const value of originals) result.set(value, id);
  }
  return result;
}
