/**
 * `tagsAdd` and `tagsRemove` on customers, with Shopify's per-resource limits as userErrors.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd
 */
import type { Args } from '../graphql/execution-state.ts';
import type { ShopObjects } from '../presenters/shop-objects.ts';
import { normaliseTagList } from '../shop-store.ts';
import type { CustomerRow } from '../shop-store.ts';
import type { ResolverDeps } from './context.ts';
import { requireScope } from './access-scopes.ts';
import { parseGid } from './gid.ts';
import { inputArrayTooLarge, MAX_INPUT_ARRAY } from './input-limits.ts';

/** Shopify's per-resource limits on tags. */
export const MAX_TAGS_PER_RESOURCE = 250;
export const MAX_TAG_LENGTH = 255;

export function tagResolvers(deps: ResolverDeps & { objects: ShopObjects }): Record<string, unknown> {
  return {
    tagsAdd: ({ id, tags }: Args) => {
      requireScope(deps.scopes, 'write_customers', 'tagsAdd');
      return changeTags(deps, String(id), tags as string[], 'add');
    },
    tagsRemove: ({ id, tags }: Args) => {
      requireScope(deps.scopes, 'write_customers', 'tagsRemove');
      return changeTags(deps, String(id), tags as string[], 'remove');
    },
  };
}

/**
 * `tags` may be a list or one comma-separated string ("one, two"); both are split on commas.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd
 */
function changeTags(deps: ResolverDeps & { objects: ShopObjects }, gid: string, rawTags: string[], mode: 'add' | 'remove'): Record<string, unknown> {
  const field = mode === 'add' ? 'tagsAdd' : 'tagsRemove';
  if (rawTags.length > MAX_INPUT_ARRAY) throw inputArrayTooLarge(rawTags.length, MAX_INPUT_ARRAY, [field, 'tags']);
  const parsed = parseGid(gid);
  const row = parsed?.type === 'Customer' ? deps.store.customer(parsed.id) : undefined;
  if (!parsed || !row) return { node: null, userErrors: [{ field: ['id'], message: 'Invalid id' }] };
  const tags = rawTags.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
  if (mode === 'add') {
    const tooLong = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
    if (tooLong) return { node: null, userErrors: [{ field: ['tags'], message: `Tag is too long (maximum is ${MAX_TAG_LENGTH} characters): ${tooLong.slice(0, 40)}…` }] };
  }
  const existing = new Set(row.tags.map((tag) => tag.toLowerCase()));
  const next =
    mode === 'add'
      ? normaliseTagList([...row.tags, ...tags])
      : row.tags.filter((tag) => !tags.some((removed) => removed.toLowerCase() === tag.toLowerCase()));
  if (next.length > MAX_TAGS_PER_RESOURCE) {
    return { node: null, userErrors: [{ field: ['tags'], message: `Tags cannot exceed ${MAX_TAGS_PER_RESOURCE} for a customer` }] };
  }
  const changed = mode === 'add' ? next.filter((tag) => !existing.has(tag.toLowerCase())).length : row.tags.length - next.length;
  const updated =
    changed === 0
      ? row
      : (deps.store.updateCustomer(row.id, (current) => ({ ...current, tags: next, updatedAt: new Date(deps.now()).toISOString() })) as CustomerRow);
  if (mode === 'add') deps.writes.tags_added += changed;
  else deps.writes.tags_removed += changed;
  return { node: deps.objects.customer(updated), userErrors: [] };
}

