import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { DesiredCustomer } from '../reconcile/desired.ts';
import type { AppliedLookup } from '../reconcile/plan.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import type { Progress } from './progress.ts';

/**
 * `klaviyo.update_existing_only` (Klaviyo bills by active profile): customers whose email has
 * no Klaviyo profile yet are kept out of Klaviyo, as if they had no email (Shopify tags still
 * apply). A profile is known to exist when tiersync upserted it before or it sits in a managed
 * list; the rest are looked up (`any(email,[…])`, 100 a call, the read tier).
 *
 * @example
 * const { desired, skipped } = await keepExistingProfilesOnly({ klaviyo, desired, applied, observed, progress });
 */
export async function keepExistingProfilesOnly(deps: {
  klaviyo: KlaviyoClient;
  desired: readonly DesiredCustomer[];
  applied: AppliedLookup;
  observed: KlaviyoObservation;
  /** Emails with a profile, when this run read the profiles in full: then nothing is looked up. */
  existing?: ReadonlySet<string> | null;
  progress: Progress;
}): Promise<{ desired: DesiredCustomer[]; skipped: number }> {
  if (deps.existing) {
    const existing = deps.existing;
    let skipped = 0;
    const desired = deps.desired.map((d) => {
      if (d.email === null || existing.has(d.email)) return d;
      skipped++;
      return { ...d, email: null };
    });
    return { desired, skipped };
  }
  const known = new Set<string>();
  for (const members of deps.observed.members.values()) for (const email of members) known.add(email);
  const unknown = deps.desired.filter(
    (d) => d.email !== null && !known.has(d.email) && Object.keys(deps.applied.get(d.customerId)?.properties ?? {}).length === 0,
  );
  const phase = deps.progress.phase('look up Klaviyo profiles', unknown.length);
  const found = await deps.klaviyo.profileIdsForEmails(unknown.map((d) => d.email!));
  phase.done(`${found.size} of ${unknown.length} exist`);
  const absent = new Set(unknown.filter((d) => !found.has(d.email!)).map((d) => d.customerId));
  let skipped = 0;
  const desired = deps.desired.map((d) => {
    if (!absent.has(d.customerId)) return d;
    skipped++;
    return { ...d, email: null };
  });
  return { desired, skipped };
}
