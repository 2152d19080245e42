import type { KlaviyoTransport } from './transport.ts';
import { listsResponse, profilesResponse } from './responses.ts';

/**
 * The cheapest reads that prove the key works for what tiersync does: one page of lists
 * (`lists:read`) and one profile (`profiles:read`), on the 75/s read tier. A wrong key throws
 * AuthError (401, or 400 with an authentication code), a key without a scope AuthError with 403.
 * Write scopes cannot be checked without writing; they show on the first write.
 *
 * @example
 * await checkAccess(transport); // resolves, or throws AuthError
 */
export async function checkAccess(transport: KlaviyoTransport): Promise<void> {
  await transport.send({ endpoint: 'get_lists', operation: 'GET /api/lists', schema: listsResponse }, () => transport.lists.getLists());
  await transport.send(
    { endpoint: 'get_profiles', operation: 'GET /api/profiles', schema: profilesResponse },
    () => transport.profiles.getProfiles({ fieldsProfile: ['email'], pageSize: 1 }),
  );
}
