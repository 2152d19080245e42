/**
 * Customer segments and customer metafield definitions:
 * `segmentCreate` / `segmentUpdate` / `segmentDelete`, `segments`, `segment(id:)`,
 * `customerSegmentMembers(segmentId:|query:)` (members evaluated with ../segment-query.ts),
 * `metafieldDefinitionCreate`, `metafieldDefinitionUpdate` (name, description, admin filtering) and
 * `metafieldDefinitions(ownerType: CUSTOMER)`.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/segmentCreate,
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldDefinitionCreate
 */
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { ActivationStore, MetafieldDefinitionRow, SegmentRow } from '../activation-store.ts';
import type { Args, ExecutionState } from '../graphql/execution-state.ts';
import { buildSortedView } from '../pagination.ts';
import { compileSegmentQuery, SegmentQueryError, type SegmentPredicate } from '../segment-query.ts';
import type { CustomerRow } from '../shop-store.ts';
import { parseGid } from './gid.ts';
import type { ReadResolverDeps } from './reads.ts';

export interface SegmentResolverDeps extends ReadResolverDeps {
  activation: ActivationStore;
}

/** "You can query a maximum of 250 segments" (segment-query-language-reference). */
export const MAX_SEGMENTS = 250;
/** Segment names: the Admin API's limit is not documented; the sandbox takes 255 like other names (README). */
const MAX_SEGMENT_NAME = 255;

/**
 * The metafield types that can be admin-filterable. Not listed on shopify.dev; a Shopify staff
 * answer (community.shopify.com/t/unable-to-create-admin-filterable-metafield-definitions/366655)
 * says only a few types are supported and that `number_integer` is not; the sandbox accepts text
 * types only (README: what it simplifies).
 */
const ADMIN_FILTERABLE_TYPES = new Set(['single_line_text_field', 'list.single_line_text_field']);

/** Types a definition may have in the sandbox (those metafieldsSet checks). */
const DEFINITION_TYPES: Record<string, string> = {
  single_line_text_field: 'TEXT',
  multi_line_text_field: 'TEXT',
  number_integer: 'NUMBER',
  number_decimal: 'NUMBER',
  boolean: 'TRUE_FALSE',
  date: 'DATE_TIME',
  date_time: 'DATE_TIME',
  json: 'ADVANCED',
};

interface DefinitionInput {
  namespace?: string | null;
  key: string;
  name: string;
  description?: string | null;
  ownerType: string;
  type: string;
  pin?: boolean | null;
  capabilities?: { adminFilterable?: { enabled: boolean } | null } | null;
}

type UserError = { field: string[]; message: string };

/**
 * @example
 * const resolvers = segmentResolvers({ ...reads, activation: createActivationStore() });
 */
export function segmentResolvers(deps: SegmentResolverDeps): Record<string, unknown> {
  const { activation } = deps;
  const at = () => new Date(deps.now()).toISOString();
  const present = (row: SegmentRow) => ({ __typename: 'Segment', id: `gid://shopify/Segment/${row.id}`, name: row.name, query: row.query, creationDate: row.creationDate, lastEditDate: row.lastEditDate });
  const segmentOf = (gid: unknown): SegmentRow | undefined => {
    const parsed = parseGid(String(gid));
    return parsed?.type === 'Segment' ? activation.segment(parsed.id) : undefined;
  };
  const checkQuery = (query: string): UserError | null => {
    try {
      compileSegmentQuery(query, activation.definedKeys());
      return null;
    } catch (error) {
      if (error instanceof SegmentQueryError) return { field: ['query'], message: `Query is invalid: ${error.message}` };
      throw error;
    }
  };
  const checkName = (name: string, selfId: string | null): UserError | null => {
    if (name.trim() === '') return { field: ['name'], message: "Name can't be blank" };
    if (name.length > MAX_SEGMENT_NAME) return { field: ['name'], message: `Name is too long (maximum is ${MAX_SEGMENT_NAME} characters)` };
    // segmentCreate: "Segment names must be unique."
    const owner = activation.segmentNamed(name);
    return owner && owner.id !== selfId ? { field: ['name'], message: 'Name has already been taken' } : null;
  };

  const member = (row: CustomerRow) => ({
    ...deps.objects.customer(row),
    __typename: 'CustomerSegmentMember',
    displayName: `${row.firstName} ${row.lastName}`.trim() || row.email || '',
    defaultEmailAddress: row.email ? { emailAddress: row.email } : null,
    numberOfOrders: String(row.orderIds.length),
  });

  const presentDefinition = (row: MetafieldDefinitionRow) => ({
    __typename: 'MetafieldDefinition',
    id: `gid://shopify/MetafieldDefinition/${row.id}`,
    ownerType: row.ownerType,
    namespace: row.namespace,
    key: row.key,
    name: row.name,
    description: row.description,
    type: { __typename: 'MetafieldDefinitionType', name: row.type, category: DEFINITION_TYPES[row.type] ?? 'ADVANCED' },
    pinnedPosition: row.pinned ? 1 : null,
    useAsCollectionCondition: false,
    validations: [],
    capabilities: {
      adminFilterable: {
        eligible: ADMIN_FILTERABLE_TYPES.has(row.type),
        enabled: row.adminFilterable,
        status: row.adminFilterable ? 'FILTERABLE' : 'NOT_FILTERABLE',
      },
    },
    metafieldsCount: () => [...deps.store.customers()].filter((customer) => customer.metafields.has(`${row.namespace}.${row.key}`)).length,
  });

  const checkDefinition = (input: DefinitionInput): (UserError & { code: string })[] => {
    const errors: (UserError & { code: string })[] = [];
    const error = (field: string, code: string, message: string) => errors.push({ field: ['definition', field], code, message });
    if (input.ownerType !== 'CUSTOMER') error('ownerType', 'INCLUSION', 'The sandbox defines customer metafields only.');
    const namespace = input.namespace ?? '$app';
    if (namespace.length < 3) error('namespace', 'TOO_SHORT', 'Namespace is too short (minimum is 3 characters)');
    else if (namespace.length > 255) error('namespace', 'TOO_LONG', 'Namespace is too long (maximum is 255 characters)');
    else if (!/^[A-Za-z0-9_$-]+$/.test(namespace)) error('namespace', 'INVALID_CHARACTER', 'Namespace contains one or more invalid characters.');
    if (input.key.length < 2) error('key', 'TOO_SHORT', 'Key is too short (minimum is 2 characters)');
    else if (input.key.length > 64) error('key', 'TOO_LONG', 'Key is too long (maximum is 64 characters)');
    else if (!/^[A-Za-z0-9_-]+$/.test(input.key)) error('key', 'INVALID_CHARACTER', 'Key contains one or more invalid characters.');
    if (input.name.trim() === '') error('name', 'BLANK', "Name can't be blank");
    if (!DEFINITION_TYPES[input.type]) error('type', 'INCLUSION', `Type ${input.type} is not supported by the sandbox.`);
    else if (input.capabilities?.adminFilterable?.enabled && !ADMIN_FILTERABLE_TYPES.has(input.type)) {
      error('capabilities', 'INVALID_CAPABILITY', 'The capability admin_filterable is not valid for this definition.');
    }
    if (errors.length === 0 && activation.definition(namespace, input.key)) error('key', 'TAKEN', 'Key is in use for customer metafields on the \'' + namespace + '\' namespace.');
    return errors;
  };

  const membersOf = (args: Args): SegmentPredicate => {
    const segment = args.segmentId != null ? segmentOf(args.segmentId) : undefined;
    if (args.segmentId != null && !segment) throw new GraphQLError('Segment does not exist', { extensions: { code: 'NOT_FOUND' } });
    const query = segment?.query ?? (args.query as string | null | undefined);
    if (!query) throw new GraphQLError('customerSegmentMembers needs a segmentId or a query', { extensions: { code: 'BAD_REQUEST' } });
    try {
      return compileSegmentQuery(query, activation.definedKeys());
    } catch (error) {
      if (error instanceof SegmentQueryError) throw new GraphQLError(`Query is invalid: ${error.message}`, { extensions: { code: 'BAD_REQUEST' } });
      throw error;
    }
  };

  return {
    segments: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      if (args.query != null) throw new GraphQLError('The sandbox lists segments without a search query', { extensions: { code: 'BAD_REQUEST' } });
      const view = buildSortedView(activation.segments(), (row) => Number(row.id));
      return deps.connections.connection(view, args, () => true, (id) => activation.segment(id) as SegmentRow, present, state, info);
    },
    segment: ({ id }: Args) => {
      const row = segmentOf(id);
      return row ? present(row) : null;
    },
    customerSegmentMembers: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      const matches = membersOf(args);
      const view = deps.connections.sortedView('customers', 'ID');
      const isMember = (id: string) => matches(deps.store.customer(id) as CustomerRow);
      const page = deps.connections.connection(view, args, isMember, (id) => deps.store.customer(id) as CustomerRow, member, state, info);
      return { ...page, totalCount: () => view.ids.reduce((count, id) => (isMember(String(id)) ? count + 1 : count), 0) };
    },
    segmentCreate: ({ name, query }: Args) => {
      const errors = [checkName(String(name), null), checkQuery(String(query))].filter((e): e is UserError => e !== null);
      if (!errors.length && activation.segments().length >= MAX_SEGMENTS) errors.push({ field: ['name'], message: `A shop can have at most ${MAX_SEGMENTS} segments` });
      if (errors.length) return { segment: null, userErrors: errors };
      return { segment: present(activation.addSegment({ name: String(name), query: String(query) }, at())), userErrors: [] };
    },
    segmentUpdate: ({ id, name, query }: Args) => {
      const row = segmentOf(id);
      if (!row) return { segment: null, userErrors: [{ field: ['id'], message: 'Segment does not exist' }] };
      const errors = [name != null ? checkName(String(name), row.id) : null, query != null ? checkQuery(String(query)) : null].filter((e): e is UserError => e !== null);
      if (errors.length) return { segment: null, userErrors: errors };
      const change = { ...(name != null ? { name: String(name) } : {}), ...(query != null ? { query: String(query) } : {}) };
      return { segment: present(activation.updateSegment(row.id, change, at())), userErrors: [] };
    },
    segmentDelete: ({ id }: Args) => {
      const row = segmentOf(id);
      if (!row) return { deletedSegmentId: null, userErrors: [{ field: ['id'], message: 'Segment does not exist' }] };
      activation.deleteSegment(row.id);
      return { deletedSegmentId: `gid://shopify/Segment/${row.id}`, userErrors: [] };
    },
    metafieldDefinitionCreate: ({ definition }: Args) => {
      const input = definition as DefinitionInput;
      const errors = checkDefinition(input);
      if (errors.length) return { createdDefinition: null, userErrors: errors };
      const row = activation.addDefinition({
        ownerType: 'CUSTOMER',
        namespace: input.namespace ?? '$app',
        key: input.key,
        type: input.type,
        name: input.name,
        description: input.description ?? null,
        adminFilterable: input.capabilities?.adminFilterable?.enabled === true,
        pinned: input.pin === true,
      });
      return { createdDefinition: presentDefinition(row), userErrors: [] };
    },
    metafieldDefinitionUpdate: ({ definition }: Args) => {
      const input = definition as Omit<DefinitionInput, 'type' | 'name'> & { name?: string | null };
      const row = input.ownerType === 'CUSTOMER' ? activation.definition(input.namespace ?? '$app', input.key) : undefined;
      if (!row) return { updatedDefinition: null, userErrors: [{ field: ['definition'], code: 'NOT_FOUND', message: 'Definition not found.' }] };
      const filterable = input.capabilities?.adminFilterable?.enabled;
      if (filterable && !ADMIN_FILTERABLE_TYPES.has(row.type)) {
        return { updatedDefinition: null, userErrors: [{ field: ['definition', 'capabilities'], code: 'INVALID_CAPABILITY', message: 'The capability admin_filterable is not valid for this definition.' }] };
      }
      if (input.name != null && input.name.trim() === '') return { updatedDefinition: null, userErrors: [{ field: ['definition', 'name'], code: 'BLANK', message: "Name can't be blank" }] };
      const updated = activation.updateDefinition(row.id, {
        ...(input.name != null ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(filterable !== undefined ? { adminFilterable: filterable } : {}),
      });
      return { updatedDefinition: presentDefinition(updated), userErrors: [] };
    },
    metafieldDefinitions: (args: Args, state: ExecutionState, info: GraphQLResolveInfo) => {
      if (args.ownerType !== 'CUSTOMER') throw new GraphQLError('The sandbox defines customer metafields only', { extensions: { code: 'BAD_REQUEST' } });
      const rows = activation.definitions().filter((row) => (args.namespace == null || row.namespace === args.namespace) && (args.key == null || row.key === args.key));
      const byId = new Map(rows.map((row) => [row.id, row]));
      const view = buildSortedView(rows, (row) => Number(row.id));
      return deps.connections.connection(view, args, () => true, (id) => byId.get(id) as MetafieldDefinitionRow, presentDefinition, state, info);
    },
  };
}
