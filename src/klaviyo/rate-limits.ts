import type { RateWindow } from '../http/window-limiter.ts';

/** The Klaviyo endpoints tiersync calls, each limited on its own. */
export type KlaviyoEndpoint =
  | 'bulk_import_profiles'
  | 'get_bulk_import_profiles_job'
  | 'get_errors_for_bulk_import_profiles_job'
  | 'get_profiles'
  | 'get_lists'
  | 'create_list'
  | 'get_profile_ids_for_list'
  | 'get_profiles_for_list'
  | 'add_profiles_to_list'
  | 'remove_profiles_from_list'
  | 'get_list:profile_count'
  | 'get_segments'
  | 'create_segment'
  | 'update_segment';

export interface PublishedLimit {
  readonly burstPerSecond: number;
  readonly steadyPerMinute: number;
  readonly perDay?: number;
}

/**
 * The published limits of revision 2026-07-15, as each operation's `x-klaviyo-ratelimit` and
 * description state them in Klaviyo's OpenAPI files (schemas/klaviyo/<operationId>.json):
 * the bulk import job endpoints and list membership writes are 10/s and 150/m, reads of
 * profiles, lists and list members 75/s and 750/m, list creation 10/s, 150/m and 150/d,
 * segment reads 75/s and 750/m, segment creation and updates 1/s, 15/m and 100/d. Keys are the
 * operationIds (`:profile_count` for get_list's slower variant, stated in its description), so
 * the test can check them against the spec. (The general guide
 * lists the L tier as 75/s and 700/m; the per-endpoint figures above take precedence.)
 */
export const KLAVIYO_LIMITS: Readonly<Record<KlaviyoEndpoint, PublishedLimit>> = {
  bulk_import_profiles: { burstPerSecond: 10, steadyPerMinute: 150 },
  get_bulk_import_profiles_job: { burstPerSecond: 10, steadyPerMinute: 150 },
  get_errors_for_bulk_import_profiles_job: { burstPerSecond: 10, steadyPerMinute: 150 },
  get_profiles: { burstPerSecond: 75, steadyPerMinute: 750 },
  get_lists: { burstPerSecond: 75, steadyPerMinute: 750 },
  create_list: { burstPerSecond: 10, steadyPerMinute: 150, perDay: 150 },
  get_profile_ids_for_list: { burstPerSecond: 75, steadyPerMinute: 750 },
  get_profiles_for_list: { burstPerSecond: 75, steadyPerMinute: 750 },
  add_profiles_to_list: { burstPerSecond: 10, steadyPerMinute: 150 },
  remove_profiles_from_list: { burstPerSecond: 10, steadyPerMinute: 150 },
  // get_list's description: "Rate limits when using the additional-fields[list]=profile_count parameter".
  'get_list:profile_count': { burstPerSecond: 1, steadyPerMinute: 15 },
  get_segments: { burstPerSecond: 75, steadyPerMinute: 750 },
  create_segment: { burstPerSecond: 1, steadyPerMinute: 15, perDay: 100 },
  update_segment: { burstPerSecond: 1, steadyPerMinute: 15, perDay: 100 },
};

/**
 * A published limit as limiter windows. `timeScale` shortens every window (the sandbox runs
 * its clock that much faster); the windows are padded by `marginRatio` because Klaviyo counts
 * arrivals in fixed 1-second and 1-minute windows (developers.klaviyo.com/en/docs/
 * rate_limits_and_error_handling) and requests do not arrive exactly when they leave.
 *
 * @example
 * limitWindows({ burstPerSecond: 10, steadyPerMinute: 150 }, 1, 0.02);
 * // [{ limit: 10, intervalMs: 1020 }, { limit: 150, intervalMs: 61200 }]
 */
export function limitWindows(limit: PublishedLimit, timeScale: number, marginRatio: number): RateWindow[] {
  const scaled = (ms: number) => Math.ceil((ms * (1 + marginRatio)) / timeScale);
  return [
    { limit: limit.burstPerSecond, intervalMs: scaled(1000) },
    { limit: limit.steadyPerMinute, intervalMs: scaled(60_000) },
    ...(limit.perDay === undefined ? [] : [{ limit: limit.perDay, intervalMs: scaled(86_400_000) }]),
  ];
}
