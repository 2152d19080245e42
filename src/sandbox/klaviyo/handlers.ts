import type { KlaviyoOperation } from '../../openapi/klaviyo-operations.ts';
import type { BulkJobs } from './bulk-jobs.ts';
import { invalid, notFound } from './errors.ts';
import { comparisonHolds, parseFilter, type FilterCondition, type FilterFields } from './filter.ts';
import { inOrder, readPageRequest, takePage } from './pagination.ts';
import { bulkJobResource, importErrorResource, isoTime, listResource, profileResource } from './resources.ts';
import type { KlaviyoStore, ListRecord, ProfileInput, ProfileRecord } from './store.ts';

export interface HandlerContext {
  operation: KlaviyoOperation;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body, already valid against the operation's OpenAPI request schema. */
  body: unknown;
  /** Origin of the emulator as the client reached it, e.g. `http://127.0.0.1:4010`. */
  base: string;
  /** `base` + the request path, the collection's `links.self` without query. */
  selfUrl: string;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
}

export interface OperationHandler {
  /** Largest request body accepted (413 above it). */
  maxBodyBytes: number;
  run(context: HandlerContext): HandlerResult;
}

/** "The maximum allowed payload size is 100KB" (Create Profile, Create or Update Profile, Update Profile). */
const PROFILE_PAYLOAD_BYTES = 100 * 1024;
/** Bulk Import Profiles: "Accepts up to 10,000 profiles per request. The maximum allowed payload size is 5MB." */
export const BULK_IMPORT_MAX_PROFILES = 10_000;
export const BULK_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** Add/Remove Profiles to/from List: "This endpoint accepts a maximum of 1000 profiles per call." */
export const LIST_RELATIONSHIP_MAX_PROFILES = 1000;
const DEFAULT_MAX_BODY_BYTES = BULK_IMPORT_MAX_BYTES;

interface ResourceBody<T> {
  data: T;
}
interface ProfileImportJobBody {
  data: {
    attributes: { profiles: { data: ProfileInput[] } };
    relationships?: { lists?: { data?: { id: string }[] } };
  };
}
interface ListCreateBody {
  data: { attributes: { name: string; opt_in_process?: 'single_opt_in' | 'double_opt_in' | null } };
}

/**
 * The emulator's operations, keyed by Klaviyo operationId; each answers with a status and a body
 * in the operation's response schema, or throws a KlaviyoApiError.
 *
 * @example
 * const handlers = createHandlers({ store, jobs });
 * handlers.create_list?.run(context); // { status: 201, body: { data: { type: 'list', ... } } }
 */
export function createHandlers(deps: { store: KlaviyoStore; jobs: BulkJobs }): Record<string, OperationHandler> {
  const { store, jobs } = deps;
  const operationPageSize = (operation: KlaviyoOperation) => operation.pageSize ?? { defaultSize: 20, maxSize: 100 };

  /** Date-time fields the filters compare, per kind of record. */
  const profileTimes = (profile: ProfileRecord): Record<string, number> => ({ created: profile.created, updated: profile.updated });

  const profileMatches = (profile: ProfileRecord, conditions: FilterCondition[], times: Record<string, number> = profileTimes(profile)): boolean =>
    conditions.every((condition) => {
      const time = times[condition.field];
      if (time !== undefined) return comparisonHolds(condition, time);
      const value = condition.field === 'id' ? profile.id : profile.attributes[condition.field as 'email' | 'external_id' | 'phone_number'];
      if (value === null) return false;
      const normalize = (text: string): string => (condition.field === 'email' ? text.trim().toLowerCase() : text);
      return condition.values.some((wanted) => normalize(wanted) === normalize(value));
    });

  const readFilter = (query: URLSearchParams, fields: FilterFields): FilterCondition[] => {
    const text = query.get('filter');
    return text === null ? [] : parseFilter(text, fields);
  };

  const checkSort = (query: URLSearchParams, supported: readonly string[]): void => {
    const sort = query.get('sort');
    if (sort !== null && !supported.includes(sort)) {
      throw invalid(`The sandbox sorts this collection only by ${supported.join(' or ')}; got "${sort}".`, { parameter: 'sort' });
    }
  };

  const memberPage = (context: HandlerContext, list: ListRecord) => {
    // get_profiles_for_list / get_profile_ids_for_list: `joined_group_at` takes all four comparisons.
    const conditions = readFilter(context.query, {
      email: ['equals', 'any'],
      phone_number: ['equals', 'any'],
      joined_group_at: ['greater-or-equal', 'greater-than', 'less-or-equal', 'less-than'],
    });
    checkSort(context.query, ['joined_group_at']);
    const request = readPageRequest(context.query, operationPageSize(context.operation));
    const page = takePage(inOrder(store.members(list)), request, context.selfUrl, context.query, (member) =>
      profileMatches(store.requireProfile(member.profileId), conditions, { joined_group_at: member.joinedAt }),
    );
    return { links: page.links, items: page.items.map((member) => ({ member, profile: store.requireProfile(member.profileId) })) };
  };

  /** The profiles the first identifier condition can match, found through the id and identifier indexes; null = none to look up. */
  const indexedCandidates = (conditions: FilterCondition[]): ProfileRecord[] | null => {
    const condition = conditions.find((c) => c.operator === 'equals' || c.operator === 'any');
    if (condition === undefined) return null;
    const found = condition.values.flatMap((value) => {
      const profile = condition.field === 'id' ? store.getProfile(value) : store.findBy(condition.field as 'email' | 'external_id' | 'phone_number', value);
      return profile === undefined ? [] : [profile];
    });
    return [...new Map(found.map((profile) => [profile.id, profile])).values()].sort((a, b) => a.seq - b.seq);
  };

  const relationshipIds = (context: HandlerContext): string[] => {
    const data = (context.body as ResourceBody<{ id: string }[]>).data;
    if (data.length > LIST_RELATIONSHIP_MAX_PROFILES) {
      throw invalid(`A maximum of ${LIST_RELATIONSHIP_MAX_PROFILES} profiles can be sent per call; got ${data.length}.`, { pointer: '/data' });
    }
    data.forEach((item, index) => {
      if (!store.getProfile(item.id)) throw invalid(`A profile with id ${item.id} does not exist.`, { pointer: `/data/${index}/id` });
    });
    return data.map((item) => item.id);
  };

  const profileBody = (status: number, profile: ProfileRecord, base: string): HandlerResult => ({
    status,
    body: { data: profileResource(profile, base), links: { self: `${base}/api/profiles/${profile.id}/` } },
  });

  return {
    create_profile: {
      maxBodyBytes: PROFILE_PAYLOAD_BYTES,
      run: (context) => profileBody(201, store.createProfile((context.body as ResourceBody<ProfileInput>).data), context.base),
    },
    create_or_update_profile: {
      maxBodyBytes: PROFILE_PAYLOAD_BYTES,
      run(context) {
        const { profile, created } = store.upsertProfile((context.body as ResourceBody<ProfileInput>).data, 'clear');
        return profileBody(created ? 201 : 200, profile, context.base);
      },
    },
    update_profile: {
      maxBodyBytes: PROFILE_PAYLOAD_BYTES,
      run(context) {
        const id = context.params.id as string;
        const data = (context.body as ResourceBody<ProfileInput>).data;
        if (data.id !== id) throw invalid(`The id in the body (${String(data.id)}) does not match the id in the URL (${id}).`, { pointer: '/data/id' });
        return profileBody(200, store.updateProfile(id, data), context.base);
      },
    },
    get_profile: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run: (context) => profileBody(200, store.requireProfile(context.params.id as string), context.base),
    },
    get_profiles: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        // get_profiles: identifiers by equals/any, `created` and `updated` by greater-than/less-than.
        const conditions = readFilter(context.query, {
          id: ['equals', 'any'],
          email: ['equals', 'any'],
          external_id: ['equals', 'any'],
          phone_number: ['equals', 'any'],
          created: ['greater-than', 'less-than'],
          updated: ['greater-than', 'less-than'],
        });
        checkSort(context.query, ['id', 'created']);
        const request = readPageRequest(context.query, operationPageSize(context.operation));
        const candidates = indexedCandidates(conditions);
        const page = takePage(candidates ? inOrder(candidates) : store.profiles(), request, context.selfUrl, context.query, (profile) =>
          profileMatches(profile, conditions),
        );
        return { status: 200, body: { data: page.items.map((profile) => profileResource(profile, context.base)), links: page.links } };
      },
    },

    bulk_import_profiles: {
      maxBodyBytes: BULK_IMPORT_MAX_BYTES,
      run(context) {
        const { data } = context.body as ProfileImportJobBody;
        const profiles = data.attributes.profiles.data;
        if (profiles.length > BULK_IMPORT_MAX_PROFILES) {
          throw invalid(`A maximum of ${BULK_IMPORT_MAX_PROFILES} profiles can be imported per job; got ${profiles.length}.`, {
            pointer: '/data/attributes/profiles/data',
          });
        }
        const listIds = (data.relationships?.lists?.data ?? []).map((list) => list.id);
        listIds.forEach((listId, index) => {
          if (!store.getList(listId)) {
            throw invalid(`A list with id ${listId} does not exist.`, { pointer: `/data/relationships/lists/data/${index}/id` });
          }
        });
        const job = jobs.create(profiles, listIds);
        return { status: 202, body: { data: bulkJobResource(job, jobs.status(job), context.base), links: { self: `${context.base}/api/profile-bulk-import-jobs/${job.id}/` } } };
      },
    },
    get_bulk_import_profiles_job: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const job = jobs.get(context.params.job_id as string);
        if (!job) throw notFound(`A bulk import job with id ${context.params.job_id} does not exist.`);
        const include = (context.query.get('include') ?? '').split(',');
        const included = include.includes('lists') ? job.listIds.map((id) => listResource(store.requireList(id), context.base)) : undefined;
        return {
          status: 200,
          body: { data: bulkJobResource(job, jobs.status(job), context.base), ...(included ? { included } : {}), links: { self: context.selfUrl } },
        };
      },
    },
    get_errors_for_bulk_import_profiles_job: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const job = jobs.get(context.params.id as string);
        if (!job) throw notFound(`A bulk import job with id ${context.params.id} does not exist.`);
        const page = takePage(inOrder(job.errors), readPageRequest(context.query, operationPageSize(context.operation)), context.selfUrl, context.query);
        return { status: 200, body: { data: page.items.map(importErrorResource), links: page.links } };
      },
    },

    get_lists: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        // get_lists: `created` and `updated` take greater-than only.
        const conditions = readFilter(context.query, { id: ['equals', 'any'], name: ['equals', 'any'], created: ['greater-than'], updated: ['greater-than'] });
        checkSort(context.query, ['created', 'id']);
        const request = readPageRequest(context.query, operationPageSize(context.operation));
        const page = takePage(inOrder([...store.lists()]), request, context.selfUrl, context.query, (list) =>
          conditions.every((condition) =>
            condition.field === 'created' || condition.field === 'updated'
              ? comparisonHolds(condition, list[condition.field])
              : condition.values.includes(condition.field === 'id' ? list.id : list.name),
          ),
        );
        return { status: 200, body: { data: page.items.map((list) => listResource(list, context.base)), links: page.links } };
      },
    },
    get_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const list = store.requireList(context.params.id as string);
        const withCount = (context.query.get('additional-fields[list]') ?? '').split(',').includes('profile_count');
        return {
          status: 200,
          body: { data: listResource(list, context.base, withCount ? { profile_count: list.members.size } : {}), links: { self: `${context.base}/api/lists/${list.id}/` } },
        };
      },
    },
    create_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const { attributes } = (context.body as ListCreateBody).data;
        const list = store.createList(attributes.name, attributes.opt_in_process ?? 'single_opt_in');
        return { status: 201, body: { data: listResource(list, context.base), links: { self: `${context.base}/api/lists/${list.id}/` } } };
      },
    },
    get_profiles_for_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const page = memberPage(context, store.requireList(context.params.id as string));
        const data = page.items.map((entry) => profileResource(entry.profile, context.base, { joined_group_at: isoTime(entry.member.joinedAt) }));
        return { status: 200, body: { data, links: page.links } };
      },
    },
    get_profile_ids_for_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const page = memberPage(context, store.requireList(context.params.id as string));
        return { status: 200, body: { data: page.items.map((entry) => ({ type: 'profile', id: entry.profile.id })), links: page.links } };
      },
    },
    add_profiles_to_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const list = store.requireList(context.params.id as string);
        store.addMembers(list.id, relationshipIds(context));
        return { status: 204 };
      },
    },
    remove_profiles_from_list: {
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      run(context) {
        const list = store.requireList(context.params.id as string);
        store.removeMembers(list.id, relationshipIds(context));
        return { status: 204 };
      },
    },
  };
}
