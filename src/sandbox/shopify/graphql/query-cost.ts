/**
 * Calculated query cost as the GraphQL Admin API documents it
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits#cost-calculation):
 * scalars and enums cost 0, an object 1, an interface or union the maximum of its possible
 * selections, a connection 2 plus its page size (`first`/`last`) times the cost of one node
 * (so `products(first: 10) { edges { node { id title } } }` costs 2 + 10 × 1 = 12) plus its
 * connection-level objects such as `pageInfo` at 1 each (objects cost 1 wherever they are), and a
 * mutation field 10. The requested cost is computed before execution from the document; the
 * actual cost after execution from what was returned (a connection counts the nodes it returned).
 *
 * Connections must be given `first` or `last`, at most 250: the Admin API rejects the document
 * otherwise, so that check lives here where page sizes are read.
 */
import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
} from 'graphql';
import type {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionNode,
  SelectionSetNode,
} from 'graphql';

export const MUTATION_FIELD_COST = 10;
export const MAX_PAGE_SIZE = 250;

/** A connection without a page size or with one over 250, with where it is in the document. */
export class PageSizeError extends Error {
  override name = 'PageSizeError';
  constructor(
    message: string,
    readonly node: FieldNode,
    readonly path: readonly string[],
  ) {
    super(message);
  }
}

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
  /** Bulk queries are not sized per page: they may omit `first` and exceed 250. */
  bulk?: boolean;
}

/**
 * The cost Shopify charges before running a document. Throws `PageSizeError` for a connection
 * without a valid page size.
 *
 * @example
 * requestedQueryCost({ schema, operation, fragments: {}, variables: {} }); // 12 for the products example
 */
export function requestedQueryCost(input: CostInput): number {
  const root = rootType(input);
  if (input.operation.operation === 'mutation') {
    return collectFields(input, input.operation.selectionSet, root).filter((field) => !field.node.name.value.startsWith('__')).length * MUTATION_FIELD_COST;
  }
  return selectionCost(input, input.operation.selectionSet, root, []);
}

/**
 * The cost of what a document actually returned: connections count the nodes they returned,
 * null objects cost nothing. Never more than the requested cost.
 *
 * @example
 * actualQueryCost({ schema, operation, fragments: {}, variables: {} }, { products: { edges: [] } }); // 2
 */
export function actualQueryCost(input: CostInput, data: unknown): number {
  const requested = requestedQueryCost(input);
  if (input.operation.operation === 'mutation') return requested;
  return Math.min(requested, actualSelectionCost(input, input.operation.selectionSet, rootType(input), data));
}

function rootType(input: CostInput): GraphQLObjectType {
  const root = input.operation.operation === 'mutation' ? input.schema.getMutationType() : input.schema.getQueryType();
  if (!root) throw new Error(`schema has no ${input.operation.operation} type`);
  return root;
}

export interface CollectedField {
  node: FieldNode;
  definition: GraphQLField<unknown, unknown> | undefined;
}

/**
 * Fields of a selection set that apply to `type`, with fragments flattened and @skip/@include honoured.
 *
 * @example
 * collectFields(input, input.operation.selectionSet, schema.getQueryType()!).map((f) => f.node.name.value); // ['orders']
 */
export function collectFields(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType): CollectedField[] {
  const fields: CollectedField[] = [];
  const definitions = 'getFields' in type ? type.getFields() : {};
  const visit = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (!included(input, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        fields.push({ node: selection, definition: definitions[selection.name.value] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (appliesTo(input.schema, selection.typeCondition?.name.value, type)) visit(selection.selectionSet.selections);
      } else {
        const fragment = input.fragments[selection.name.value];
        if (fragment && appliesTo(input.schema, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet.selections);
      }
    }
  };
  visit(selectionSet.selections);
  return fields;
}

function included(input: CostInput, selection: SelectionNode): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, selection, input.variables as Record<string, unknown>);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, selection, input.variables as Record<string, unknown>);
  return include?.if !== false;
}

function appliesTo(schema: GraphQLSchema, condition: string | undefined, type: GraphQLCompositeType): boolean {
  if (condition === undefined || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  if (!conditionType || !isAbstractType(conditionType) || !isObjectType(type)) return false;
  return schema.isSubType(conditionType, type);
}

/** Concrete types an abstract selection distinguishes (its fragments' conditions), or the type itself. */
function candidateTypes(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType): GraphQLCompositeType[] {
  if (!isAbstractType(type)) return [type];
  const candidates = new Map<string, GraphQLCompositeType>([[type.name, type]]);
  const visit = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      const condition =
        selection.kind === Kind.INLINE_FRAGMENT
          ? selection.typeCondition?.name.value
          : selection.kind === Kind.FRAGMENT_SPREAD
            ? input.fragments[selection.name.value]?.typeCondition.name.value
            : undefined;
      const conditionType = condition ? input.schema.getType(condition) : undefined;
      if (conditionType && isObjectType(conditionType) && input.schema.isSubType(type, conditionType)) {
        candidates.set(conditionType.name, conditionType);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = input.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet.selections);
      }
    }
  };
  visit(selectionSet.selections);
  return [...candidates.values()];
}

function selectionCost(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType, path: readonly string[]): number {
  let best = 0;
  for (const candidate of candidateTypes(input, selectionSet, type)) {
    let total = 0;
    for (const field of collectFields(input, selectionSet, candidate)) total += fieldCost(input, field, [...path, responseKey(field.node)]);
    best = Math.max(best, total);
  }
  return best;
}

function fieldCost(input: CostInput, field: CollectedField, path: readonly string[]): number {
  if (!field.definition || field.node.name.value.startsWith('__')) return 0;
  const named = getNamedType(field.definition.type);
  if (isLeafType(named)) return 0;
  const selectionSet = field.node.selectionSet;
  if (!selectionSet) return 0;
  const connection = connectionParts(named);
  if (connection) {
    const size = pageSize(input, field, path);
    const nodeSelection = nodeSelections(input, selectionSet, named as GraphQLObjectType);
    const nodeCost = nodeSelection ? 1 + selectionCost(input, nodeSelection, connection.nodeType, path) : 0;
    const connectionLevel = connectionLevelFields(input, selectionSet, named as GraphQLObjectType).reduce((sum, inner) => sum + fieldCost(input, inner, [...path, responseKey(inner.node)]), 0);
    return 2 + size * nodeCost + connectionLevel;
  }
  return 1 + selectionCost(input, selectionSet, named as GraphQLCompositeType, path);
}

function pageSize(input: CostInput, field: CollectedField, path: readonly string[]): number {
  const args = getArgumentValues(field.definition as GraphQLField<unknown, unknown>, field.node, input.variables as Record<string, unknown>);
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  if (input.bulk) return first ?? last ?? 1;
  if (first === undefined && last === undefined) {
    throw new PageSizeError('you must provide one of first or last', field.node, path);
  }
  const size = (first ?? last) as number;
  if (size > MAX_PAGE_SIZE) {
    const which = first !== undefined ? 'first' : 'last';
    throw new PageSizeError(
      `${which} cannot exceed ${MAX_PAGE_SIZE}. To query larger amounts of data with fewer limits, bulk operations should be used instead.`,
      field.node,
      path,
    );
  }
  return Math.max(0, size);
}

/**
 * Relay connections in the Admin schema: a `*Connection` type with `edges { node }` and `nodes`.
 *
 * @example
 * connectionParts(schema.getType('OrderConnection')!)?.nodeType.name; // 'Order'
 */
export function connectionParts(type: GraphQLNamedType): { nodeType: GraphQLCompositeType } | null {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return null;
  const edges = type.getFields().edges;
  if (!edges) return null;
  const edgeType = getNamedType(edges.type);
  if (!isObjectType(edgeType)) return null;
  const node = edgeType.getFields().node;
  if (!node) return null;
  return { nodeType: getNamedType(node.type) as GraphQLCompositeType };
}

/** A connection's own fields other than `edges` and `nodes` (e.g. `pageInfo`), charged like any field. */
function connectionLevelFields(input: CostInput, selectionSet: SelectionSetNode, connectionType: GraphQLObjectType): CollectedField[] {
  return collectFields(input, selectionSet, connectionType).filter((field) => field.node.name.value !== 'edges' && field.node.name.value !== 'nodes');
}

/** One selection set for a connection's node: `edges { node { … } }` and `nodes { … }` merged. */
function nodeSelections(input: CostInput, selectionSet: SelectionSetNode, connectionType: GraphQLObjectType): SelectionSetNode | null {
  const selections: SelectionNode[] = [];
  for (const field of collectFields(input, selectionSet, connectionType)) {
    const name = field.node.name.value;
    if (name === 'nodes' && field.node.selectionSet) selections.push(...field.node.selectionSet.selections);
    if (name === 'edges' && field.node.selectionSet) {
      const edgeType = getNamedType(field.definition?.type);
      if (!edgeType || !isObjectType(edgeType)) continue;
      for (const edgeField of collectFields(input, field.node.selectionSet, edgeType)) {
        if (edgeField.node.name.value === 'node' && edgeField.node.selectionSet) selections.push(...edgeField.node.selectionSet.selections);
      }
    }
  }
  return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : null;
}

function actualSelectionCost(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType, value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let best = 0;
  for (const candidate of candidateTypes(input, selectionSet, type)) {
    let total = 0;
    for (const field of collectFields(input, selectionSet, candidate)) {
      total += actualFieldCost(input, field, (value as Record<string, unknown>)[responseKey(field.node)]);
    }
    best = Math.max(best, total);
  }
  return best;
}

function actualFieldCost(input: CostInput, field: CollectedField, value: unknown): number {
  if (!field.definition || field.node.name.value.startsWith('__') || value === null || value === undefined) return 0;
  const named = getNamedType(field.definition.type);
  const selectionSet = field.node.selectionSet;
  if (isLeafType(named) || !selectionSet) return 0;
  const connection = connectionParts(named);
  if (connection) {
    const nodeSelection = nodeSelections(input, selectionSet, named as GraphQLObjectType);
    const nodes = returnedNodes(input, selectionSet, named as GraphQLObjectType, value);
    let total = 2;
    for (const node of nodes) total += nodeSelection ? 1 + actualSelectionCost(input, nodeSelection, connection.nodeType, node) : 0;
    for (const inner of connectionLevelFields(input, selectionSet, named as GraphQLObjectType)) {
      total += actualFieldCost(input, inner, (value as Record<string, unknown>)[responseKey(inner.node)]);
    }
    return total;
  }
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, item) => sum + (item === null ? 0 : 1 + actualSelectionCost(input, selectionSet, named as GraphQLCompositeType, item)), 0);
  }
  return 1 + actualSelectionCost(input, selectionSet, named as GraphQLCompositeType, value);
}

function returnedNodes(input: CostInput, selectionSet: SelectionSetNode, connectionType: GraphQLObjectType, value: unknown): unknown[] {
  const record = value as Record<string, unknown>;
  for (const field of collectFields(input, selectionSet, connectionType)) {
    const key = responseKey(field.node);
    const list = record[key];
    if (!Array.isArray(list)) continue;
    if (field.node.name.value === 'nodes') return list;
    if (field.node.name.value === 'edges') {
      const nodeField = field.node.selectionSet?.selections.find(
        (selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === 'node',
      );
      return list.map((edge) => (nodeField ? (edge as Record<string, unknown> | null)?.[responseKey(nodeField)] : edge));
    }
  }
  return [];
}

/**
 * The key a field has in the response: its alias, else its name.
 *
 * @example
 * responseKey(aliasedFieldNode); // 'a' for `a: tagsAdd(…)`
 */
export function responseKey(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}
