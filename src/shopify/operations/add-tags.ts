import { runAliasedTagMutation, type AliasedTagMutationDeps } from './aliased-tag-mutation.ts';

/**
 * Adds tags to customers with aliased `tagsAdd` mutations sized to the cost budget. Adding a
 * tag a customer already has changes nothing, so a retried request is harmless.
 *
 * @example
 * const add = addTags({ client });
 * const results = await add([{ customerId: 'gid://shopify/Customer/1', tags: ['ltv:vip'] }]);
 * results.filter((r) => r.outcome !== 'applied') // deleted customers, customers at 250 tags
 */
export function addTags(deps: AliasedTagMutationDeps) {
  return runAliasedTagMutation(deps, 'tagsAdd');
}
