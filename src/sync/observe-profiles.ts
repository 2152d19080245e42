import type { Config } from '../config/schema.ts';
import { DAY_MS } from '../core/order.ts';
import type { KlaviyoClient } from '../klaviyo/client.ts';
import type { AppliedLookup } from '../reconcile/plan.ts';
import type { Store } from '../store/open-store.ts';
import { klaviyoExternalId } from './profile-identity.ts';
import type { Progress } from './progress.ts';

/** When tiersync's profile properties were last read in full (epoch ms), in the store's cursors. */
export const PROPERTIES_OBSERVED_AT = 'klaviyo.properties_observed_at';

export interface ProfileObservation {
  /** Desired emails (lower-cased) that have a Klaviyo profile. */
  readonly existing: ReadonlySet<string>;
  /** Desired emails whose live tiersync properties equal what tiersync last applied. */
  readonly matchingApplied: ReadonlySet<string>;
  /** Desired customers' `external_id`s (numeric Shopify ids) that a profile already carries. */
  readonly externalIdsTaken: ReadonlySet<string>;
  readonly profilesRead: number;
}

/**
 * Whether this run reads tiersync's profile properties in full (docs/DESIGN.md "Reconcile, plan,
 * apply"): on `--full`, when never read, and when the last full read is older than
 * `klaviyo.full_observation_days` (0: every run).
 *
 * @example
 * fullObservationDue(store, config, { full: false, now: Date.now() }); // true on a first run
 */
export function fullObservationDue(store: Store, config: Config, run: { full: boolean; now: number }): boolean {
  if (run.full) return true;
  const last = Number(store.cursors.getCursor(PROPERTIES_OBSERVED_AT) ?? Number.NaN);
  return !Number.isFinite(last) || run.now - last >= config.klaviyo.full_observation_days * DAY_MS;
}

/**
 * Reads every Klaviyo profile's tiersync properties and compares them with what tiersync last
 * applied to the customer owning that email; the plan re-sends every property of a profile that
 * does not match (reset, edited, deleted). Only two sets of desired emails are kept, never the
 * properties themselves. A property tiersync last applied as null matches whatever is live
 * (bulk imports ignore nulls, so tiersync cannot clear one; re-sending it would never converge).
 *
 * @example
 * const observed = await observeProfileProperties({ klaviyo, config, customers: () => emails(), applied, progress });
 * observed.matchingApplied.has('ann@example.com');
 */
export async function observeProfileProperties(deps: {
  klaviyo: KlaviyoClient;
  config: Config;
  /** Every segmented customer with the (lower-cased) email its Klaviyo profile has, null for none. */
  customers: () => Iterable<{ readonly customerId: string; readonly email: string | null }>;
  applied: AppliedLookup;
  progress: Progress;
}): Promise<ProfileObservation> {
  const owners = propertyOwners(deps.customers(), deps.applied);
  const externalIds = new Set<string>();
  for (const c of deps.customers()) if (c.email !== null) externalIds.add(klaviyoExternalId(c.customerId));
  const existing = new Set<string>();
  const matchingApplied = new Set<string>();
  const externalIdsTaken = new Set<string>();
  const phase = deps.progress.phase('read Klaviyo profile properties');
  const profilesRead = await deps.klaviyo.readProfiles(deps.config.klaviyo.property_prefix, (page) => {
    for (const profile of page) {
      if (profile.externalId !== null && externalIds.has(profile.externalId)) externalIdsTaken.add(profile.externalId);
      if (profile.email === null) continue;
      const owner = owners.get(profile.email);
      if (owner === undefined) continue;
      existing.add(profile.email);
      const expected = deps.applied.get(owner)?.properties ?? {};
      // A null tiersync applied was never stored (bulk imports ignore nulls, they do not clear),
      // so the live side may hold an older value or none: either matches.
      const same = Object.entries(expected).every(([key, value]) => value === null || profile.properties[key] === value);
      if (same) matchingApplied.add(profile.email);
    }
    phase.tick(page.length);
  });
  phase.done(`${profilesRead} profiles, ${existing.size - matchingApplied.size} with tiersync properties to put back`);
  return { existing, matchingApplied, externalIdsTaken, profilesRead };
}

/**
 * Email → the customer whose last-applied properties the profile should carry: the one with
 * properties applied when several customers share an email (one profile per email).
 */
function propertyOwners(customers: Iterable<{ readonly customerId: string; readonly email: string | null }>, applied: AppliedLookup): Map<string, string> {
  const owners = new Map<string, string>();
  for (const d of customers) {
    if (d.email === null) continue;
    const current = owners.get(d.email);
    if (current === undefined || (Object.keys(applied.get(current)?.properties ?? {}).length === 0 && Object.keys(applied.get(d.customerId)?.properties ?? {}).length > 0)) {
      owners.set(d.email, d.customerId);
    }
  }
  return owners;
}
