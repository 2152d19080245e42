/**
 * Shopify keeps a resource's tags unique (case-insensitively) and returns them sorted; each
 * tag is trimmed. https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/tagsAdd
 *
 * @example
 * normaliseTagList([' vip', 'VIP', 'b']); // ['b', 'vip']
 */
export function normaliseTagList(tags: Iterable<string>): string[] {
  const byKey = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag !== '' && !byKey.has(tag.toLowerCase())) byKey.set(tag.toLowerCase(), tag);
  }
  return [...byKey.values()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
}
