import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { AppliedLookup, PlanOperation } from '../reconcile/plan.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import type { ProfileObservation } from './observe-profiles.ts';
import type { Progress } from './progress.ts';

/**
 * The `external_id` tiersync gives a profile it creates: the numeric Shopify customer id
 * (`gid://shopify/Customer/7100000001` → `7100000001`), the form Klaviyo's own Shopify
 * integration leaves on the profiles it syncs, so that both integrations agree on the id.
 *
 * @example
 * klaviyoExternalId('gid://shopify/Customer/7100000001'); // '7100000001'
 */
export function klaviyoExternalId(customerId: string): string {
  return /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(customerId)?.[1] ?? customerId;
}

/**
 * The emails of the plan's profile writes that tiersync creates, and so gives an `external_id`:
 * those with no Klaviyo profile yet, and whose numeric Shopify id no profile carries already (a
 * customer whose email changed in Shopify: sending the id would make Klaviyo match that profile
 * and change its email). An existing profile's `external_id` and email belong to the merchant
 * and are never changed (docs/DESIGN.md "Reconcile, plan, apply"). A profile is known to exist when
 * this run read the profiles in full, when it sits in a managed list, or when tiersync upserted
 * it before; the rest are looked up, by email and then by external id (100 a call, the read
 * tier).
 *
 * @example
 * const creates = await profilesToCreate({ klaviyo, operations: plan.operations, applied, lists, profiles: null, progress });
 */
export async function profilesToCreate(deps: {
  klaviyo: KlaviyoClient;
  operations: readonly PlanOperation[];
  applied: AppliedLookup;
  lists: KlaviyoObservation;
  profiles: ProfileObservation | null;
  progress: Progress;
}): Promise<Set<string>> {
  const writes = new Map<string, string>();
  for (const op of deps.operations) {
    if ((op.kind === 'profiles_upsert' || op.kind === 'profiles_unset' || op.kind === 'list_add') && op.payload.customerId) writes.set(op.target, op.payload.customerId);
  }
  if (deps.profiles) {
    const { existing, externalIdsTaken } = deps.profiles;
    return new Set([...writes].filter(([email, customerId]) => !existing.has(email) && !externalIdsTaken.has(klaviyoExternalId(customerId))).map(([email]) => email));
  }
  const members = new Set<string>();
  for (const listMembers of deps.lists.members.values()) for (const email of listMembers) members.add(email);
  const unknown = [...writes].filter(
    ([email, customerId]) => !members.has(email) && Object.keys(deps.applied.get(customerId)?.properties ?? {}).length === 0,
  );
  if (unknown.length === 0) return new Set();
  const phase = deps.progress.phase('look up Klaviyo profiles', unknown.length);
  const found = await deps.klaviyo.profileIdsForEmails(unknown.map(([email]) => email));
  const absent = unknown.filter(([email]) => !found.has(email));
  const taken = await deps.klaviyo.profileIdsForExternalIds(absent.map(([, customerId]) => klaviyoExternalId(customerId)));
  phase.done(`${found.size} of ${unknown.length} exist`);
  return new Set(absent.filter(([, customerId]) => !taken.has(klaviyoExternalId(customerId))).map(([email]) => email));
}
