import type { KlaviyoTransport } from './transport.ts';
import { nextCursor, profilePropertiesResponse } from './responses.ts';

/** One profile as the full property read sees it. */
export interface ProfileSnapshot {
  readonly id: string;
  /** Lower-cased; null for a profile without email. */
  readonly email: string | null;
  readonly externalId: string | null;
  /** Only the properties whose names start with the prefix asked for. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Every profile of the account, page by page (`GET /api/profiles`, 100 a page, the 75/s, 750/m
 * read tier), with only email, external_id and properties asked for (sparse fieldsets). Each
 * page is handed on before the next is fetched and then dropped, so memory does not grow with
 * the account; the properties are cut to those starting with `prefix` (tiersync's own).
 *
 * @example
 * await readProfiles(transport, 'tiersync_', (page) => { for (const p of page) seen.add(p.email); });
 */
export async function readProfiles(
  transport: KlaviyoTransport,
  prefix: string,
  onPage: (profiles: ProfileSnapshot[]) => void | Promise<void>,
): Promise<number> {
  let cursor: string | null = null;
  let count = 0;
  do {
    const pageCursor: string | undefined = cursor ?? undefined;
    const page = await transport.send(
      { endpoint: 'get_profiles', operation: 'GET /api/profiles', schema: profilePropertiesResponse },
      () => transport.profiles.getProfiles({ fieldsProfile: ['email', 'external_id', 'properties'], pageSize: 100, pageCursor }),
    );
    await onPage(
      page.data.map((profile) => ({
        id: profile.id,
        email: profile.attributes.email?.toLowerCase() ?? null,
        externalId: profile.attributes.external_id ?? null,
        properties: Object.fromEntries(Object.entries(profile.attributes.properties ?? {}).filter(([key]) => key.startsWith(prefix))),
      })),
    );
    count += page.data.length;
    cursor = nextCursor(page.links);
  } while (cursor !== null);
  return count;
}
