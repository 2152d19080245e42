import { z } from 'zod';
import type { KlaviyoSegmentDefinition } from '../activation/segment-definitions.ts';
import { ApiError, RetriableError, ThrottledError } from '../errors.ts';
import { retryDelayMs } from '../http/retry.ts';
import { nextCursor } from './responses.ts';
import type { KlaviyoTransport } from './transport.ts';

/**
 * Klaviyo segments found by name or id (get_segments, 10 a page), create_segment and
 * update_segment (1/s, 15/m, 100/d each: schemas/klaviyo/create_segment.json and
 * update_segment.json), and a list's size (get_list with `additional-fields[list]=profile_count`).
 * Creating is not idempotent, so a create is never repeated blindly: after a 429, a 5xx or a
 * lost answer it waits (the 429's Retry-After, else backoff), looks the segment up by name (a
 * lost answer may have created it) and only then sends the create again, up to
 * {@link MAX_CREATE_ATTEMPTS} times. Limits are per account and shared with every other private
 * key integration, so a 429 can come however well tiersync paces itself; Klaviyo says to "retry
 * requests that exceed the rate limit at a later time"
 * (developers.klaviyo.com/en/docs/rate-limits-and-error-handling). A 429 asking to wait longer
 * than the steady window (the daily window of 100 creates, developers.klaviyo.com/en/reference/
 * create_segment) fails that create and every later one of the run at once, unsent, with a
 * message saying so, instead of holding the sync for hours: the run reports them and the next
 * sync plans them again. An update (PATCH with the whole
 * wanted state) is safe to repeat and is retried like any request.
 */

const MAX_CREATE_ATTEMPTS = 6;
/** A 429 asking for more than the steady (1-minute) window: the daily window is spent. */
const LONGEST_THROTTLE_WAIT_MS = 120_000;

export interface SegmentRetryDeps {
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** The sandbox's time scale (backoff shortened to match); 1 against Klaviyo. */
  readonly timeScale?: number;
}

export interface KlaviyoSegment {
  readonly id: string;
  readonly name: string;
  readonly definition: unknown;
}

const segmentResource = z.object({
  type: z.literal('segment'),
  id: z.string().min(1),
  attributes: z.object({ name: z.string().nullable(), definition: z.unknown() }).loose(),
});
const segmentsResponse = z.object({ data: z.array(segmentResource), links: z.object({ next: z.string().nullish() }).loose().optional() });
const segmentResponse = z.object({ data: segmentResource });
const listCountResponse = z.object({ data: z.object({ id: z.string(), attributes: z.object({ profile_count: z.number().int().nullish() }).loose() }) });

const toSegment = (resource: z.output<typeof segmentResource>): KlaviyoSegment => ({ id: resource.id, name: resource.attributes.name ?? '', definition: resource.attributes.definition ?? null });

/**
 * @example
 * const segments = klaviyoSegments(transport, { now: Date.now, random: Math.random, sleep });
 * await segments.find({ names: ['tiersync: VIP'], ids: [] }); // [{ id: 'Tz8aQe', name: 'tiersync: VIP', definition: {...} }]
 */
export function klaviyoSegments(transport: KlaviyoTransport, retry: SegmentRetryDeps) {
  const scale = retry.timeScale ?? 1;
  let createsRefusedUntil = -Infinity;
  const dailyLimitSpent = (name: string, waitMs: number) =>
    new ApiError(
      `HTTP 429: Klaviyo refuses segment creation for another ${Math.ceil((waitMs * scale) / 1000)} s (create_segment allows 100 a day per account): "${name}" not created this run, the next sync tries again`,
      { service: 'klaviyo', operation: 'POST /api/segments', status: 429 },
    );
  const segments = {
    /**
     * The segments with any of these names or ids (get_segments filters `any(name,[…])` and
     * `any(id,[…])`, 10 a page), sorted by id.
     */
    async find(query: { readonly names: readonly string[]; readonly ids: readonly string[] }): Promise<KlaviyoSegment[]> {
      const found = new Map<string, KlaviyoSegment>();
      const filters = [
        ...(query.names.length ? [`any(name,[${query.names.map((name) => JSON.stringify(name)).join(',')}])`] : []),
        ...(query.ids.length ? [`any(id,[${query.ids.map((id) => JSON.stringify(id)).join(',')}])`] : []),
      ];
      for (const filter of filters) {
        let cursor: string | null = null;
        do {
          const pageCursor: string | null = cursor;
          const page: z.output<typeof segmentsResponse> = await transport.send(
            { endpoint: 'get_segments', operation: 'GET /api/segments', schema: segmentsResponse },
            () => transport.segments.getSegments({ filter, ...(pageCursor ? { pageCursor } : {}) }),
          );
          for (const resource of page.data) found.set(resource.id, toSegment(resource));
          cursor = nextCursor(page.links);
        } while (cursor);
      }
      return [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    /** Creates the segment, or finds the one an earlier attempt whose answer was lost created. */
    async create(name: string, definition: KlaviyoSegmentDefinition): Promise<KlaviyoSegment> {
      for (let attempt = 1; ; attempt++) {
        if (retry.now() < createsRefusedUntil) throw dailyLimitSpent(name, createsRefusedUntil - retry.now());
        try {
          const created = await transport.send(
            { endpoint: 'create_segment', operation: 'POST /api/segments', schema: segmentResponse, retry: false },
            () => transport.segments.createSegment({ data: { type: 'segment', attributes: { name, definition: toSdkDefinition(definition) } } }),
          );
          return toSegment(created.data);
        } catch (error) {
          if (!(error instanceof RetriableError) || attempt >= MAX_CREATE_ATTEMPTS) throw error;
          if (error instanceof ThrottledError && error.retryAfterMs > LONGEST_THROTTLE_WAIT_MS / scale) {
            // Every later create of this run would be refused too: they fail at once, unsent.
            createsRefusedUntil = retry.now() + error.retryAfterMs;
            throw dailyLimitSpent(name, error.retryAfterMs);
          }
          await retry.sleep(retryDelayMs(error, attempt, { baseDelayMs: 500 / scale, maxDelayMs: 30_000 / scale, random: retry.random }));
          const landed = (await segments.find({ names: [name], ids: [] })).find((s) => s.name === name && sameDefinition(s.definition, definition));
          if (landed) return landed;
        }
      }
    },
    async update(id: string, change: { name?: string; definition?: KlaviyoSegmentDefinition }): Promise<KlaviyoSegment> {
      const attributes = { ...(change.name !== undefined ? { name: change.name } : {}), ...(change.definition ? { definition: toSdkDefinition(change.definition) } : {}) };
      const updated = await transport.send(
        { endpoint: 'update_segment', operation: `PATCH /api/segments/${id}`, schema: segmentResponse },
        () => transport.segments.updateSegment(id, { data: { type: 'segment', id, attributes } }),
      );
      return toSegment(updated.data);
    },
    /** Members of a list (Klaviyo's own count). */
    async listSize(listId: string): Promise<number | null> {
      const list = await transport.send(
        { endpoint: 'get_list:profile_count', operation: `GET /api/lists/${listId}?additional-fields[list]=profile_count`, schema: listCountResponse },
        () => transport.lists.getList(listId, { additionalFieldsList: ['profile_count'] }),
      );
      return list.data.attributes.profile_count ?? null;
    },
  };
  return segments;
}

export type KlaviyoSegments = ReturnType<typeof klaviyoSegments>;

/**
 * Whether a segment's definition (as Klaviyo answers it) is the one tiersync wants: compared on
 * what tiersync writes (condition type, property and filter), so fields Klaviyo may add do not count.
 *
 * @example
 * sameDefinition(found.definition, wanted); // true
 */
export function sameDefinition(observed: unknown, wanted: KlaviyoSegmentDefinition): boolean {
  return canonical(observed) === canonical(wanted);
}

function canonical(definition: unknown): string {
  const groups = (definition as { condition_groups?: { conditions?: Record<string, unknown>[] }[] } | null)?.condition_groups ?? [];
  return JSON.stringify(
    groups.map((group) =>
      (group.conditions ?? []).map((condition) => {
        const filter = (condition.filter ?? {}) as Record<string, unknown>;
        return [condition.type, condition.property, filter.type, filter.operator, filter.value];
      }),
    ),
  );
}

/** The SDK's model names the groups in camelCase and serializes them back to `condition_groups`. */
function toSdkDefinition(definition: KlaviyoSegmentDefinition) {
  return { conditionGroups: definition.condition_groups.map((group) => ({ conditions: group.conditions.map((condition) => ({ ...condition, filter: { ...condition.filter } })) })) };
}
