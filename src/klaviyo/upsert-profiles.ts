import PQueue from 'p-queue';
import { z } from 'zod';
import { InternalError } from '../errors.ts';
import type { KlaviyoTransport } from './transport.ts';
import { importJobResponse } from './responses.ts';

export type ProfilePropertyValue = string | number | boolean | null;

/** One profile to create or update, matched by email (docs/DESIGN.md "Outputs"). */
export interface ProfileUpsert {
  readonly email: string;
  /**
   * Sent only for a profile tiersync creates: an existing profile's `external_id` belongs to
   * the merchant (or Klaviyo's own Shopify integration) and is never changed.
   */
  readonly externalId?: string;
  readonly properties: Readonly<Record<string, ProfilePropertyValue>>;
  /**
   * Property keys to remove from the profile, sent as `meta.patch_properties.unset` ("Remove a
   * key or keys (and their values) completely from properties", ProfileMetaPatchProperties in
   * bulk_import_profiles.json).
   */
  readonly unset?: readonly string[];
}

export interface ImportJobRef {
  readonly jobId: string;
  /** Indexes into the `profiles` given, so a caller can map per-job results back. */
  readonly first: number;
  readonly count: number;
}

const profileUpsertSchema = z.object({
  email: z.string().min(3).includes('@'),
  externalId: z.string().min(1).optional(),
  properties: z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  unset: z.array(z.string().min(1)).optional(),
});

// Bulk Import Profiles: "Accepts up to 10,000 profiles per request. The maximum allowed payload
// size is 5MB. The maximum allowed payload size per-profile is 100KB." (bulk_import_profiles.json)
export const MAX_PROFILES_PER_JOB = 10_000;
export const MAX_JOB_BYTES = 5 * 1024 * 1024;
export const MAX_PROFILE_BYTES = 100 * 1024;
/** The job envelope around the profiles array, rounded up. */
const ENVELOPE_BYTES = 256;

/**
 * Creates one bulk profile import job per chunk of profiles (≤ 10,000 and < 5 MB each), a few
 * uploads at a time under the endpoint's limits, and returns the jobs to wait for.
 * Profiles come from the reconcile step, which promises valid emails and bounded properties:
 * one that breaks the promise is an InternalError, not a user's mistake.
 *
 * @example
 * const jobs = await upsertProfiles(transport, [{ email: 'a@example.com', externalId: '7100000001',
 *   properties: { tiersync_tier: 'vip' } }]);
 * // [{ jobId: '01K…', first: 0, count: 1 }]
 */
export async function upsertProfiles(
  transport: KlaviyoTransport,
  profiles: readonly ProfileUpsert[],
  options: {
    readonly concurrency?: number;
    /**
     * Lists every profile of these jobs joins (the job's `relationships.lists`), so list
     * additions ride on the import instead of costing list calls and profile-id lookups.
     */
    readonly listIds?: readonly string[];
  } = {},
): Promise<ImportJobRef[]> {
  // Validated and sized up front; a job's body is made only when it is sent, and in the one form
  // it is sent in (a whole call's profiles twice over, in both forms, stayed alive until every job was).
  const bytesOf = new Float64Array(profiles.length);
  const hasUnset = new Uint8Array(profiles.length);
  profiles.forEach((profile, index) => {
    const result = profileUpsertSchema.safeParse(profile);
    if (!result.success) {
      throw new InternalError(`klaviyo upsertProfiles: profile ${index} (${String(profile?.email)}) is invalid: ${z.prettifyError(result.error)}`);
    }
    const bytes = Buffer.byteLength(JSON.stringify(wireEntry(profile)));
    if (bytes > MAX_PROFILE_BYTES) {
      throw new InternalError(`klaviyo upsertProfiles: profile ${index} (${profile.email}) is ${bytes} bytes, over Klaviyo's ${MAX_PROFILE_BYTES} a profile`);
    }
    bytesOf[index] = bytes;
    hasUnset[index] = profile.unset?.length ? 1 : 0;
  });

  const chunks: { first: number; count: number }[] = [];
  let first = 0;
  let bytes = ENVELOPE_BYTES;
  bytesOf.forEach((profileBytes, index) => {
    const count = index - first;
    if (count === MAX_PROFILES_PER_JOB || (count > 0 && bytes + profileBytes + 1 >= MAX_JOB_BYTES)) {
      chunks.push({ first, count });
      first = index;
      bytes = ENVELOPE_BYTES;
    }
    bytes += profileBytes + 1;
  });
  if (profiles.length > first) chunks.push({ first, count: profiles.length - first });

  const queue = new PQueue({ concurrency: options.concurrency ?? 3 });
  return Promise.all(
    chunks.map((chunk) =>
      queue.add(async (): Promise<ImportJobRef> => {
        const lists = options.listIds?.length ? { relationships: { lists: { data: options.listIds.map((id) => ({ type: 'list' as const, id })) } } } : {};
        const slice = profiles.slice(chunk.first, chunk.first + chunk.count);
        // The SDK cannot serialise `meta.patch_properties.unset`: a chunk with removals goes in wire form.
        const unsets = hasUnset.subarray(chunk.first, chunk.first + chunk.count).includes(1);
        const job = await transport.send(
          { endpoint: 'bulk_import_profiles', operation: 'POST /api/profile-bulk-import-jobs', schema: importJobResponse },
          () => unsets
            ? transport.postJson('/api/profile-bulk-import-jobs', { data: { type: 'profile-bulk-import-job', attributes: { profiles: { data: slice.map(wireEntry) } }, ...lists } })
            : transport.profiles.bulkImportProfiles({
                data: { type: 'profile-bulk-import-job' as const, attributes: { profiles: { data: slice.map(sdkEntry) } }, ...lists },
              }),
        );
        return { jobId: job.data.id, first: chunk.first, count: chunk.count };
      }),
    ),
  );
}

/** A profile as the SDK takes it (camelCase keys). */
function sdkEntry(profile: ProfileUpsert) {
  const identity = profile.externalId === undefined ? { email: profile.email } : { email: profile.email, externalId: profile.externalId };
  return { type: 'profile' as const, attributes: { ...identity, properties: { ...profile.properties } } };
}

/** The wire form (snake_case keys): what the limits apply to, and what a removal is sent as. */
function wireEntry(profile: ProfileUpsert) {
  const identity = profile.externalId === undefined ? { email: profile.email } : { email: profile.email, external_id: profile.externalId };
  const unset = profile.unset?.length ? { meta: { patch_properties: { unset: [...profile.unset] } } } : {};
  return { type: 'profile', attributes: { ...identity, properties: profile.properties }, ...unset };
}
