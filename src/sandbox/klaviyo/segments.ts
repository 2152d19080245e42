import { invalid, notFound } from './errors.ts';
import { parseFilter } from './filter.ts';
import type { OperationHandler } from './handlers.ts';
import type { IdSource } from './ids.ts';
import { inOrder, readPageRequest, takePage } from './pagination.ts';
import { isoTime } from './resources.ts';
import type { KlaviyoStore } from './store.ts';

/**
 * Klaviyo segments (revision 2026-07-15: create_segment, get_segments, get_segment,
 * update_segment). A definition's `condition_groups` "are combined with a logical AND"; the
 * conditions of a group "are combined with a logical OR"
 * (developers.klaviyo.com/en/reference/segments_api_overview). The sandbox keeps any definition the
 * OpenAPI schema accepts, and counts members (`additional-fields[segment]=profile_count`) for
 * `profile-property` conditions on custom properties (`properties['name']`) with string, numeric,
 * boolean and existence filters; counting any other condition answers 400 (README: what it simplifies).
 */

export interface SegmentCondition {
  type: string;
  property?: string;
  filter?: { type: string; operator: string; value?: unknown };
}

export interface SegmentDefinition {
  condition_groups: { conditions: SegmentCondition[] }[];
}

export interface SegmentRecord {
  id: string;
  seq: number;
  name: string;
  definition: SegmentDefinition;
  created: number;
  updated: number;
  isActive: boolean;
  isStarred: boolean;
}

interface SegmentCreateBody {
  data: { attributes: { name: string; definition: SegmentDefinition; is_starred?: boolean | null } };
}

interface SegmentUpdateBody {
  data: { id: string; attributes: { name?: string | null; definition?: SegmentDefinition | null; is_starred?: boolean | null; is_active?: boolean | null } };
}

export type SegmentStore = ReturnType<typeof createSegmentStore>;

/**
 * @example
 * const segments = createSegmentStore({ ids, now: Date.now });
 * segments.create('tiersync: VIP', { condition_groups: [] }, false).id; // 'Tz8aQe'
 */
export function createSegmentStore(deps: { ids: IdSource; now: () => number }) {
  const segments: SegmentRecord[] = [];
  const byId = new Map<string, SegmentRecord>();
  const writes = { segments_created: 0, segments_updated: 0 };
  return {
    writes,
    all: (): readonly SegmentRecord[] => segments,
    require(id: string): SegmentRecord {
      const segment = byId.get(id);
      if (!segment) throw notFound(`A segment with id ${id} does not exist.`);
      return segment;
    },
    create(name: string, definition: SegmentDefinition, isStarred: boolean): SegmentRecord {
      const at = deps.now();
      const segment: SegmentRecord = { id: deps.ids.segmentId(), seq: segments.length, name, definition: structuredClone(definition), created: at, updated: at, isActive: true, isStarred };
      segments.push(segment);
      byId.set(segment.id, segment);
      writes.segments_created += 1;
      return segment;
    },
    update(segment: SegmentRecord, change: SegmentUpdateBody['data']['attributes']): SegmentRecord {
      if (change.name != null) segment.name = change.name;
      if (change.definition != null) segment.definition = structuredClone(change.definition);
      if (change.is_starred != null) segment.isStarred = change.is_starred;
      if (change.is_active != null) segment.isActive = change.is_active;
      segment.updated = deps.now();
      writes.segments_updated += 1;
      return segment;
    },
  };
}

/** SegmentRetrieveResponseObjectResource. @example segmentResource(segment, base).attributes.name; // 'tiersync: VIP' */
export function segmentResource(segment: SegmentRecord, base: string, extra: Record<string, unknown> = {}) {
  const path = `segments/${segment.id}`;
  const links = (name: string) => ({ links: { self: `${base}/api/${path}/relationships/${name}/`, related: `${base}/api/${path}/${name}/` } });
  return {
    type: 'segment' as const,
    id: segment.id,
    attributes: {
      name: segment.name,
      definition: structuredClone(segment.definition),
      created: isoTime(segment.created),
      updated: isoTime(segment.updated),
      is_active: segment.isActive,
      is_processing: false,
      is_starred: segment.isStarred,
      ...extra,
    },
    relationships: { profiles: links('profiles'), tags: links('tags'), 'flow-triggers': links('flow-triggers') },
    links: { self: `${base}/api/${path}/` },
  };
}

/**
 * How many profiles the definition selects. Throws 400 for a condition the sandbox does not evaluate.
 *
 * @example
 * segmentProfileCount(definition, store); // 12
 */
export function segmentProfileCount(definition: SegmentDefinition, profiles: Pick<KlaviyoStore, 'profileCount' | 'propertyAt'>): number {
  const groups = definition.condition_groups.map((group) => group.conditions.map(compileCondition));
  let count = 0;
  for (let index = 0; index < profiles.profileCount(); index += 1) {
    const property = (name: string) => profiles.propertyAt(index, name);
    if (groups.every((group) => group.some((matches) => matches(property)))) count += 1;
  }
  return count;
}

const CUSTOM_PROPERTY = /^properties\[(?:'([^']*)'|"([^"]*)")\]$/;

/** A condition as a test of one profile's custom properties (read by name). */
function compileCondition(condition: SegmentCondition): (property: (name: string) => unknown) => boolean {
  const property = condition.type === 'profile-property' ? CUSTOM_PROPERTY.exec(condition.property ?? '') : null;
  const filter = condition.filter;
  if (!property || !filter) throw unsupported(`${condition.type} ${condition.property ?? ''}`);
  const name = (property[1] ?? property[2]) as string;
  const test = compileFilter(filter);
  if (!test) throw unsupported(`${filter.type} ${filter.operator}`);
  return (property) => test(property(name));
}

function compileFilter(filter: NonNullable<SegmentCondition['filter']>): ((value: unknown) => boolean) | null {
  const wanted = filter.value;
  const isSet = (value: unknown) => value !== undefined && value !== null;
  if (filter.type === 'existence') return filter.operator === 'is-set' ? isSet : (value) => !isSet(value);
  if (filter.type === 'boolean') return (value) => value === wanted;
  if (filter.type === 'numeric') {
    const n = wanted as number;
    const compare: Record<string, (v: number) => boolean> = {
      equals: (v) => v === n, 'not-equals': (v) => v !== n, 'greater-than': (v) => v > n,
      'greater-than-or-equal': (v) => v >= n, 'less-than': (v) => v < n, 'less-than-or-equal': (v) => v <= n,
    };
    const op = compare[filter.operator];
    return op ? (value) => typeof value === 'number' && op(value) : null;
  }
  if (filter.type === 'string') {
    const w = String(wanted ?? '');
    const compare: Record<string, (v: string) => boolean> = {
      equals: (v) => v === w, 'not-equals': (v) => v !== w, contains: (v) => v.includes(w), 'not-contains': (v) => !v.includes(w),
      'starts-with': (v) => v.startsWith(w), 'not-starts-with': (v) => !v.startsWith(w), 'ends-with': (v) => v.endsWith(w), 'not-ends-with': (v) => !v.endsWith(w),
    };
    const op = compare[filter.operator];
    return op ? (value) => typeof value === 'string' && op(value) : null;
  }
  return null;
}

function unsupported(what: string) {
  return invalid(`The sandbox counts segment members only for profile-property conditions on properties['…'] with string, numeric, boolean or existence filters; got ${what}.`, { parameter: 'additional-fields[segment]' });
}

/**
 * The segment operations, keyed by operationId, to merge with the other handlers.
 *
 * @example
 * const handlers = { ...createHandlers({ store, jobs }), ...createSegmentHandlers({ store, segments }) };
 */
export function createSegmentHandlers(deps: { store: KlaviyoStore; segments: SegmentStore }): Record<string, OperationHandler> {
  const { store, segments } = deps;
  const maxBodyBytes = 1024 * 1024;
  const one = (status: number, segment: SegmentRecord, base: string, extra: Record<string, unknown> = {}) => ({
    status,
    body: { data: segmentResource(segment, base, extra), links: { self: `${base}/api/segments/${segment.id}/` } },
  });
  return {
    create_segment: {
      maxBodyBytes,
      run(context) {
        const { attributes } = (context.body as SegmentCreateBody).data;
        if (attributes.name.trim() === '') throw invalid('The segment name must not be empty.', { pointer: '/data/attributes/name' });
        return one(201, segments.create(attributes.name, attributes.definition, attributes.is_starred ?? false), context.base);
      },
    },
    update_segment: {
      maxBodyBytes,
      run(context) {
        const id = context.params.id as string;
        const { data } = context.body as SegmentUpdateBody;
        if (data.id !== id) throw invalid(`The id in the body (${data.id}) does not match the id in the URL (${id}).`, { pointer: '/data/id' });
        // update_segment: "When deactivating, this must be the only attribute in the request body."
        const others = Object.entries(data.attributes).filter(([key, value]) => key !== 'is_active' && value != null);
        if (data.attributes.is_active === false && others.length > 0) {
          throw invalid('Deactivation cannot be combined with other updates.', { pointer: '/data/attributes/is_active' });
        }
        return one(200, segments.update(segments.require(id), data.attributes), context.base);
      },
    },
    get_segment: {
      maxBodyBytes,
      run(context) {
        const segment = segments.require(context.params.id as string);
        const withCount = (context.query.get('additional-fields[segment]') ?? '').split(',').includes('profile_count');
        return one(200, segment, context.base, withCount ? { profile_count: segmentProfileCount(segment.definition, store) } : {});
      },
    },
    get_segments: {
      maxBodyBytes,
      run(context) {
        const filter = context.query.get('filter');
        const conditions = filter === null ? [] : parseFilter(filter, ['id', 'name']);
        if (context.query.get('sort') !== null) throw invalid('The sandbox lists segments in creation order only.', { parameter: 'sort' });
        const request = readPageRequest(context.query, context.operation.pageSize ?? { defaultSize: 10, maxSize: 10 });
        const page = takePage(inOrder(segments.all()), request, context.selfUrl, context.query, (segment) =>
          conditions.every((condition) => condition.values.includes(condition.field === 'id' ? segment.id : segment.name)),
        );
        return { status: 200, body: { data: page.items.map((segment) => segmentResource(segment, context.base)), links: page.links } };
      },
    },
  };
}
