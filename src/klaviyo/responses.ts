import { z } from 'zod';

/**
 * The parts of Klaviyo's JSON:API responses tiersync relies on (OpenAPI revision 2026-07-15,
 * schemas/klaviyo/*.json); anything else in a response is ignored.
 */

const nextLink = z.object({ next: z.string().nullish() }).loose();

export const importJobResponse = z.object({
  data: z.object({
    type: z.literal('profile-bulk-import-job'),
    id: z.string().min(1),
    attributes: z.object({
      status: z.enum(['cancelled', 'complete', 'processing', 'queued']),
      total_count: z.number().int(),
      completed_count: z.number().int().nullish(),
      failed_count: z.number().int().nullish(),
    }),
  }),
});

export const importErrorsResponse = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      attributes: z.object({
        code: z.string(),
        title: z.string(),
        detail: z.string(),
        source: z.object({ pointer: z.string().nullish() }).loose(),
        original_payload: z.record(z.string(), z.unknown()).nullish(),
      }),
    }),
  ),
  links: nextLink.optional(),
});

const listResource = z.object({
  type: z.literal('list'),
  id: z.string().min(1),
  attributes: z.object({ name: z.string() }).loose(),
});

export const listsResponse = z.object({ data: z.array(listResource), links: nextLink.optional() });
export const listResponse = z.object({ data: listResource });

export const profileIdsResponse = z.object({
  data: z.array(z.object({ type: z.literal('profile'), id: z.string().min(1) })),
  links: nextLink.optional(),
});

export const profilesResponse = z.object({
  data: z.array(
    z.object({ type: z.literal('profile'), id: z.string().min(1), attributes: z.object({ email: z.string().nullish() }).loose() }),
  ),
  links: nextLink.optional(),
});

/** `GET /api/profiles` with `fields[profile]=email` or `external_id`. */
export const profileIdentifiersResponse = z.object({
  data: z.array(
    z.object({
      type: z.literal('profile'),
      id: z.string().min(1),
      attributes: z.object({ email: z.string().nullish(), external_id: z.string().nullish() }).loose(),
    }),
  ),
  links: nextLink.optional(),
});

/** `GET /api/profiles` with `fields[profile]=email,external_id,properties`. */
export const profilePropertiesResponse = z.object({
  data: z.array(
    z.object({
      type: z.literal('profile'),
      id: z.string().min(1),
      attributes: z
        .object({ email: z.string().nullish(), external_id: z.string().nullish(), properties: z.record(z.string(), z.unknown()).nullish() })
        .loose(),
    }),
  ),
  links: nextLink.optional(),
});

/** 204 No Content: nothing to rely on. */
export const noContent = z.unknown();

/**
 * The `page[cursor]` of a `links.next` URL, or null on the last page. The SDK only unwraps
 * cursors from `https://` links, so we read it ourselves (the sandbox serves plain http).
 *
 * @example
 * nextCursor({ next: 'https://a.klaviyo.com/api/profiles?page%5Bcursor%5D=abc' }); // 'abc'
 */
export function nextCursor(links: { next?: string | null | undefined } | undefined): string | null {
  if (!links?.next) return null;
  return new URL(links.next).searchParams.get('page[cursor]');
}
