import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';

/**
 * Customer segments: read them all, create, update, and count members.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/segmentCreate ("Segment names
 * must be unique"), segmentUpdate, queries/segments ("You can query a maximum of 250 segments"),
 * queries/customerSegmentMembers.
 */

export interface ShopifySegment {
  /** `gid://shopify/Segment/<id>`. */
  readonly id: string;
  readonly name: string;
  readonly query: string;
}

export const SEGMENTS_PAGE_QUERY = `query TiersyncSegments($after: String) {
  segments(first: 250, after: $after) { nodes { id name query } pageInfo { hasNextPage endCursor } }
}`;

export const SEGMENT_CREATE_MUTATION = `mutation TiersyncSegmentCreate($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } }
}`;

export const SEGMENT_UPDATE_MUTATION = `mutation TiersyncSegmentUpdate($id: ID!, $name: String, $query: String) {
  segmentUpdate(id: $id, name: $name, query: $query) { segment { id name query } userErrors { field message } }
}`;

export const SEGMENT_MEMBER_COUNT_QUERY = `query TiersyncSegmentSize($id: ID!) {
  customerSegmentMembers(segmentId: $id, first: 1) { totalCount }
}`;

const segmentSchema = z.object({ id: z.string(), name: z.string(), query: z.string() });
const userErrorsSchema = z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string() }));
const payloadSchema = z.object({ segment: segmentSchema.nullable(), userErrors: userErrorsSchema }).nullable();

/** Connection of 250 with `nodes` of three scalars: 2 + 250 × 1 (the published cost rules). */
const PAGE_COST = 252;
const MUTATION_COST = 10;

/**
 * @example
 * const segments = customerSegments(client);
 * await segments.list(); // [{ id: 'gid://shopify/Segment/1', name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" }]
 */
export function customerSegments(client: ShopifyClient) {
  const write = async (operation: string, document: string, field: 'segmentCreate' | 'segmentUpdate', variables: Record<string, unknown>): Promise<ShopifySegment> => {
    const data = await client.request({ operation, document, variables, estimatedCost: MUTATION_COST, data: z.object({ [field]: payloadSchema }) });
    const payload = data[field];
    if (!payload?.segment) {
      const messages = payload?.userErrors.map((error) => `${(error.field ?? []).join('.')}: ${error.message}`).join('; ') ?? 'no segment returned';
      // A refused write (a name taken by another segment) is not worth sending again.
      throw new ApiError(`refused: ${messages}`, { service: 'shopify', operation });
    }
    return payload.segment;
  };
  return {
    async list(): Promise<ShopifySegment[]> {
      const all: ShopifySegment[] = [];
      let after: string | null = null;
      do {
        const data: { segments: { nodes: ShopifySegment[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await client.request({
          operation: 'segments page',
          document: SEGMENTS_PAGE_QUERY,
          variables: { after },
          estimatedCost: PAGE_COST,
          data: z.object({ segments: z.object({ nodes: z.array(segmentSchema), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }) }) }),
        });
        all.push(...data.segments.nodes);
        after = data.segments.pageInfo.hasNextPage ? data.segments.pageInfo.endCursor : null;
      } while (after);
      return all;
    },
    create: (name: string, query: string) => write(`create segment "${name}"`, SEGMENT_CREATE_MUTATION, 'segmentCreate', { name, query }),
    update: (id: string, change: { name?: string; query?: string }) => write(`update segment ${id}`, SEGMENT_UPDATE_MUTATION, 'segmentUpdate', { id, ...change }),
    async memberCount(id: string): Promise<number> {
      const data = await client.request({
        operation: `size of segment ${id}`,
        document: SEGMENT_MEMBER_COUNT_QUERY,
        variables: { id },
        estimatedCost: 3,
        data: z.object({ customerSegmentMembers: z.object({ totalCount: z.number().int() }) }),
      });
      return data.customerSegmentMembers.totalCount;
    },
  };
}

export type CustomerSegments = ReturnType<typeof customerSegments>;
