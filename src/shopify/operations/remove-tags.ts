import { runAliasedTagMutation, type AliasedTagMutationDeps } from './aliased-tag-mutation.ts';

/**
 * Removes tags from customers with aliased `tagsRemove` mutations sized to the cost budget.
 *
 * @example
 * const remove = removeTags({ client });
 * await remove([{ customerId: 'gid://shopify/Customer/1', tags: ['ltv:mid-tier'] }]);
 */
export function removeTags(deps: AliasedTagMutationDeps) {
  return runAliasedTagMutation(deps, 'tagsRemove');
}
