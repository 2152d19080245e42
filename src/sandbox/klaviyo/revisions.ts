import { invalid, type KlaviyoApiError } from './errors.ts';

/** The API revision the emulator serves (its shapes are those of the OpenAPI files in schemas/klaviyo/). */
export const KLAVIYO_REVISION = '2026-07-15';

/**
 * Klaviyo's GA revisions up to the one served, as the revision-tagged releases of its own SDK
 * list them (klaviyo-api's CHANGELOG.md: "[23.0.0] - revision 2026-07-15", … back to 2022-10-17).
 * "Each revision is supported for 2 years after its release"
 * (developers.klaviyo.com/en/docs/api_versioning_and_deprecation_policy, and the changelog's
 * "Revision supported until" lines, e.g. 2024-10-15 until 2026-10-15).
 */
const GA_REVISIONS = [
  '2022-10-17', '2023-01-24', '2023-02-22', '2023-06-15', '2023-07-15', '2023-08-15', '2023-09-15', '2023-10-15',
  '2023-12-15', '2024-02-15', '2024-05-15', '2024-06-15', '2024-07-15', '2024-10-15', '2025-01-15', '2025-04-15',
  '2025-07-15', '2025-10-15', '2026-01-15', '2026-04-15', KLAVIYO_REVISION,
];
const SUPPORT_YEARS = 2;
// "API endpoint revision (format: YYYY-MM-DD[.suffix])" (the `revision` parameter in the OpenAPI files); `.pre` marks a beta.
const REVISION_PATTERN = /^(\d{4}-\d{2}-\d{2})(\.[A-Za-z0-9]+)?$/;

/**
 * The revision a request asks for, checked: a GA revision still inside its two years of support
 * at `now` is served (with the served revision's shapes: the endpoints tiersync uses did not
 * change shape in that window); a missing, malformed, unknown, newer or retired one is Klaviyo's
 * 400 `invalid` naming the `revision` parameter. Returns the error, or null when served.
 *
 * @example
 * revisionProblem('2025-10-15', Date.parse('2026-12-01')); // null
 * revisionProblem('2024-10-15', Date.parse('2026-12-01'))?.status; // 400 (retired on 2026-10-15)
 */
export function revisionProblem(revision: string | string[] | undefined, now: number): KlaviyoApiError | null {
  if (typeof revision !== 'string' || revision === '') {
    return invalid('Missing required header: revision (format YYYY-MM-DD[.suffix]).', { parameter: 'revision' });
  }
  const date = REVISION_PATTERN.exec(revision)?.[1];
  const supported = GA_REVISIONS.filter((ga) => now < supportEnd(ga));
  const served = `this sandbox serves ${KLAVIYO_REVISION} and accepts the supported revisions ${supported.join(', ')}`;
  if (date === undefined || !GA_REVISIONS.includes(date)) return invalid(`Invalid revision "${revision}": ${served}.`, { parameter: 'revision' });
  if (now >= supportEnd(date)) {
    return invalid(`Revision ${date} was retired on ${new Date(supportEnd(date)).toISOString().slice(0, 10)}: ${served}.`, { parameter: 'revision' });
  }
  return null;
}

function supportEnd(revision: string): number {
  const released = new Date(`${revision}T00:00:00Z`);
  return Date.UTC(released.getUTCFullYear() + SUPPORT_YEARS, released.getUTCMonth(), released.getUTCDate());
}
