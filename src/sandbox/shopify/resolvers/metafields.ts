/**
 * `metafieldsSet` and `metafieldsDelete` on customers.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsDelete
 */
import type { Args } from '../graphql/execution-state.ts';
import type { ShopObjects } from '../presenters/shop-objects.ts';
import type { CustomerRow, MetafieldRow } from '../shop-store.ts';
import type { ResolverDeps } from './context.ts';
import { requireScope } from './access-scopes.ts';
import { parseGid } from './gid.ts';
import { inputArrayTooLarge } from './input-limits.ts';

/** `metafieldsSet` takes at most 25 metafields a call. */
export const MAX_METAFIELDS_PER_SET = 25;

export function metafieldResolvers(deps: ResolverDeps & { objects: ShopObjects }): Record<string, unknown> {
  return {
    metafieldsSet: ({ metafields }: Args) => {
      requireScope(deps.scopes, 'write_customers', 'metafieldsSet');
      return setMetafields(deps, metafields as MetafieldInput[]);
    },
    metafieldsDelete: ({ metafields }: Args) => {
      requireScope(deps.scopes, 'write_customers', 'metafieldsDelete');
      return deleteMetafields(deps, metafields as MetafieldIdentifierInput[]);
    },
  };
}

interface MetafieldIdentifierInput {
  ownerId: string;
  namespace: string;
  key: string;
}

/**
 * `metafieldsDelete`: "If a specified metafield doesn't exist, then the mutation still succeeds
 * but returns null for that identifier." Shopify documents no maximum number of identifiers;
 * the sandbox sets none either (see the README's "what it simplifies").
 */
function deleteMetafields(deps: ResolverDeps, inputs: MetafieldIdentifierInput[]): Record<string, unknown> {
  const deletedMetafields = inputs.map((input) => {
    const owner = parseGid(input.ownerId);
    if (owner?.type !== 'Customer' || !deps.store.customer(owner.id)) return null;
    const slot = `${input.namespace}.${input.key}`;
    let found = false;
    deps.store.updateCustomer(owner.id, (current) => {
      if (!current.metafields.has(slot)) return current;
      found = true;
      const metafields = new Map(current.metafields);
      metafields.delete(slot);
      return { ...current, metafields };
    });
    if (!found) return null;
    deps.writes.metafields_deleted += 1;
    return { ownerId: input.ownerId, namespace: input.namespace, key: input.key };
  });
  return { deletedMetafields, userErrors: [] };
}

interface MetafieldInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

/** The metafield types the sandbox checks values for; others in this list are stored as given. */
const METAFIELD_TYPES: Record<string, (value: string) => boolean> = {
  single_line_text_field: (value) => !value.includes('\n'),
  multi_line_text_field: () => true,
  number_integer: (value) => /^-?\d+$/.test(value),
  number_decimal: (value) => /^-?\d+(\.\d+)?$/.test(value),
  boolean: (value) => value === 'true' || value === 'false',
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value),
  date_time: (value) => !Number.isNaN(Date.parse(value)),
  json: (value) => {
    try {
      JSON.parse(value);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * `metafieldsSet` is atomic: if any input fails validation none is written.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldsSet
 */
function setMetafields(deps: ResolverDeps & { objects: ShopObjects }, inputs: MetafieldInput[]): Record<string, unknown> {
  if (inputs.length > MAX_METAFIELDS_PER_SET) throw inputArrayTooLarge(inputs.length, MAX_METAFIELDS_PER_SET, ['metafieldsSet', 'metafields']);
  const userErrors: { field: string[]; message: string; code: string; elementIndex: number }[] = [];
  const owners = new Map<string, boolean>();
  const ownerExists = (id: string): boolean => {
    let exists = owners.get(id);
    if (exists === undefined) owners.set(id, (exists = deps.store.customer(id) !== undefined));
    return exists;
  };
  inputs.forEach((input, index) => {
    const error = (field: string, code: string, message: string) => userErrors.push({ field: ['metafields', String(index), field], message, code, elementIndex: index });
    const owner = parseGid(input.ownerId);
    if (owner?.type !== 'Customer' || !ownerExists(owner.id)) error('ownerId', 'INVALID', 'Owner does not exist.');
    const namespace = input.namespace ?? '$app';
    if (namespace.length < 3) error('namespace', 'TOO_SHORT', 'Namespace is too short (minimum is 3 characters)');
    else if (namespace.length > 255) error('namespace', 'TOO_LONG', 'Namespace is too long (maximum is 255 characters)');
    if (input.key.length < 2) error('key', 'TOO_SHORT', 'Key is too short (minimum is 2 characters)');
    else if (input.key.length > 64) error('key', 'TOO_LONG', 'Key is too long (maximum is 64 characters)');
    else if (!/^[A-Za-z0-9_-]+$/.test(input.key)) error('key', 'INVALID', 'Key contains one or more invalid characters.');
    if (!input.type) error('type', 'BLANK', "Type can't be blank");
    else if (!METAFIELD_TYPES[input.type]) error('type', 'INVALID_TYPE', 'Type is invalid or not supported by the sandbox.');
    else if (!(METAFIELD_TYPES[input.type] as (value: string) => boolean)(input.value)) error('value', 'INVALID_VALUE', `Value is invalid for type ${input.type}.`);
  });
  if (userErrors.length > 0) return { metafields: null, userErrors };

  const now = new Date(deps.now()).toISOString();
  // Each owner's row is read once and stored once with all of its inputs applied in order, not
  // read and stored again per input (a customer's tier fields come in one call).
  const changed = new Map<string, CustomerRow>();
  const written = inputs.map((input) => {
    const ownerId = (parseGid(input.ownerId) as { id: string }).id;
    const namespace = input.namespace ?? '$app';
    const current = changed.get(ownerId) ?? (deps.store.customer(ownerId) as CustomerRow);
    const metafields = new Map(current.metafields);
    const previous = metafields.get(`${namespace}.${input.key}`);
    const row: MetafieldRow = {
      id: previous?.id ?? deps.store.nextMetafieldId(),
      namespace,
      key: input.key,
      type: input.type as string,
      value: input.value,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    metafields.set(`${namespace}.${input.key}`, row);
    changed.set(ownerId, { ...current, metafields });
    return deps.objects.metafield(row, ownerId);
  });
  for (const [ownerId, next] of changed) deps.store.updateCustomer(ownerId, () => next);
  deps.writes.metafields_set += written.length;
  return { metafields: written, userErrors: [] };
}

