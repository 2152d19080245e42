import type { BulkJob, BulkJobStatus, ImportErrorRecord } from './bulk-jobs.ts';
import type { ListRecord, ProfileRecord } from './store.ts';

/**
 * JSON:API resource objects in the shapes of Klaviyo's OpenAPI response schemas (revision
 * 2026-07-15): ProfileResponseObjectResource, ListRetrieveResponseObjectResource,
 * ProfileImportJobResponseObjectResource and ImportErrorResponseObjectResource. Links are absolute
 * URLs on the emulator's own base, with the trailing slash Klaviyo's links have.
 */

/** Klaviyo's date-time form, e.g. `2022-11-08T00:00:00+00:00`. @example isoTime(0); // '1970-01-01T00:00:00.000+00:00' */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

const relationshipLinks = (base: string, path: string, name: string) => ({
  links: { self: `${base}/api/${path}/relationships/${name}/`, related: `${base}/api/${path}/${name}/` },
});

/**
 * @example
 * profileResource(profile, 'http://127.0.0.1:4010').links.self; // 'http://127.0.0.1:4010/api/profiles/01K.../'
 */
export function profileResource(profile: ProfileRecord, base: string, extra: Record<string, unknown> = {}) {
  const path = `profiles/${profile.id}`;
  return {
    type: 'profile' as const,
    id: profile.id,
    attributes: {
      ...profile.attributes,
      created: isoTime(profile.created),
      updated: isoTime(profile.updated),
      last_event_date: null,
      location: profile.location,
      properties: profile.properties,
      ...extra,
    },
    relationships: { lists: relationshipLinks(base, path, 'lists'), segments: relationshipLinks(base, path, 'segments') },
    links: { self: `${base}/api/${path}/` },
  };
}

/** @example listResource(list, base).attributes.name; // 'tiersync: VIP' */
export function listResource(list: ListRecord, base: string, extra: Record<string, unknown> = {}) {
  const path = `lists/${list.id}`;
  return {
    type: 'list' as const,
    id: list.id,
    attributes: {
      name: list.name,
      created: isoTime(list.created),
      updated: isoTime(list.updated),
      opt_in_process: list.optInProcess,
      ...extra,
    },
    relationships: {
      profiles: relationshipLinks(base, path, 'profiles'),
      tags: relationshipLinks(base, path, 'tags'),
      'flow-triggers': relationshipLinks(base, path, 'flow-triggers'),
    },
    links: { self: `${base}/api/${path}/` },
  };
}

/** @example bulkJobResource(job, 'processing', base).attributes.total_count; // job.total */
export function bulkJobResource(job: BulkJob, status: BulkJobStatus, base: string) {
  const path = `profile-bulk-import-jobs/${job.id}`;
  return {
    type: 'profile-bulk-import-job' as const,
    id: job.id,
    attributes: {
      status,
      created_at: isoTime(job.createdAt),
      total_count: job.total,
      completed_count: job.completed,
      failed_count: job.failed,
      completed_at: status === 'complete' ? isoTime(job.completedAt) : null,
      expires_at: null,
      started_at: status === 'queued' ? null : isoTime(job.startedAt),
    },
    relationships: {
      lists: { data: job.listIds.map((id) => ({ type: 'list' as const, id })), ...relationshipLinks(base, path, 'lists') },
      profiles: relationshipLinks(base, path, 'profiles'),
      'import-errors': { links: { related: `${base}/api/${path}/import-errors/` } },
    },
    links: { self: `${base}/api/${path}/` },
  };
}

/** @example importErrorResource(error).attributes.source.pointer; // '/data/attributes/profiles/data/3/attributes/email' */
export function importErrorResource(error: ImportErrorRecord) {
  return {
    type: 'import-error' as const,
    id: error.id,
    attributes: {
      code: error.code,
      title: error.title,
      detail: error.detail,
      source: { pointer: error.pointer },
      original_payload: error.originalPayload,
    },
  };
}
