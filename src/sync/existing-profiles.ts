import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { SegmentColumns } from '../core/segment-columns.ts';
import type { AppliedLookup } from '../reconcile/plan.ts';
import type { KlaviyoObservation } from './observe-klaviyo.ts';
import type { Progress } from './progress.ts';

/**
 * `klaviyo.update_existing_only` (Klaviyo bills by active profile): customers whose email has
 * no Klaviyo profile yet are kept out of Klaviyo, as if they had no email (Shopify tags still
 * apply). A profile is known to exist when tiersync upserted it before or it sits in a managed
 * list; the rest are looked up (`any(email,[…])`, 100 a call, the read tier). Returns a mask:
 * 1 for each segment (by index) to keep out of Klaviyo.
 *
 * @example
 * const { outOfKlaviyo, skipped } = await keepExistingProfilesOnly({ klaviyo, segments, applied, observed, progress });
 */
export async function keepExistingProfilesOnly(deps: {
  klaviyo: KlaviyoClient;
  segments: SegmentColumns;
  applied: AppliedLookup;
  observed: KlaviyoObservation;
  /** Emails with a profile, when this run read the profiles in full: then nothing is looked up. */
  existing?: ReadonlySet<string> | null;
  progress: Progress;
}): Promise<{ outOfKlaviyo: Uint8Array; skipped: number }> {
  const { segments } = deps;
  const known = new Set<string>();
  for (const members of deps.observed.members.values()) for (const email of members) known.add(email);
  const unknown: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const email = segments.email(i)?.toLowerCase();
    if (email && !known.has(email) && Object.keys(deps.applied.get(segments.customerId(i))?.properties ?? {}).length === 0) unknown.push(i);
  }
  const phase = deps.progress.phase('look up Klaviyo profiles', unknown.length);
  const found = await deps.klaviyo.profileIdsForEmails(unknown.map((i) => segments.email(i)!.toLowerCase()));
  phase.done(`${found.size} of ${unknown.length} exist`);
  const outOfKlaviyo = new Uint8Array(segments.length);
  let skipped = 0;
  for (const i of unknown) {
    if (found.has(segments.email(i)!.toLowerCase())) continue;
    outOfKlaviyo[i] = 1;
    skipped++;
  }
  return { outOfKlaviyo, skipped };
}
