/**
 * What a bulk query or mutation document must be before an operation starts: valid against the
 * Admin schema, one operation of the right kind, and for queries the documented connection limits.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions
 */
import { getNamedType, Kind, parse, validate } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { toShopifyError } from '../graphql/errors.ts';
import { collectFields, connectionParts } from '../graphql/query-cost.ts';
import type { CostInput } from '../graphql/query-cost.ts';

/** Bulk queries support up to five connections, nested at most two levels deep. */
const MAX_BULK_CONNECTIONS = 5;
const MAX_BULK_NESTING = 2;

export interface CheckedDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  costInput: CostInput;
}

function parseAndValidate(schema: GraphQLSchema, text: string, kind: 'query' | 'mutation'): CheckedDocument | { error: string } {
  const label = kind === 'query' ? 'Invalid bulk query' : 'Invalid bulk mutation';
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    return { error: `${label}: ${(error as Error).message}` };
  }
  const errors = validate(schema, document);
  if (errors.length > 0) return { error: `${label}: ${errors.map((error) => toShopifyError(error).message).join('; ')}` };
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || !operation || operation.operation !== kind) return { error: `${label}: the document must contain exactly one ${kind}` };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return { document, operation, costInput: { schema, operation, fragments, variables: {}, bulk: true } };
}

/**
 * A bulk query must have one top-level connection field (the sandbox pages it), at most five
 * connections in all, nested at most two deep, and every node that has a nested connection
 * must select `id` (the children's `__parentId`).
 */
export function checkBulkQuery(schema: GraphQLSchema, query: string): CheckedDocument | { error: string } {
  const checked = parseAndValidate(schema, query, 'query');
  if ('error' in checked) return checked;
  const root = schema.getQueryType();
  if (!root) return { error: 'Invalid bulk query: the schema has no query type' };
  const topLevel = collectFields(checked.costInput, checked.operation.selectionSet, root);
  const first = topLevel[0];
  if (topLevel.length !== 1 || !first?.definition || !connectionParts(getNamedType(first.definition.type))) {
    return { error: 'Invalid bulk query: the sandbox supports one top-level connection field per bulk query' };
  }
  let connections = 0;
  const walk = (selectionSet: SelectionSetNode, type: GraphQLCompositeType, depth: number): string | null => {
    for (const field of collectFields(checked.costInput, selectionSet, type)) {
      if (!field.definition || !field.node.selectionSet) continue;
      const named = getNamedType(field.definition.type) as GraphQLCompositeType;
      const parts = connectionParts(named);
      if (!parts) {
        const nested = walk(field.node.selectionSet, named, depth);
        if (nested) return nested;
        continue;
      }
      connections += 1;
      if (depth + 1 > MAX_BULK_NESTING) return `Invalid bulk query: bulk queries cannot contain connections with a nesting depth greater than ${MAX_BULK_NESTING}.`;
      const nodeSelection = connectionNodeSelection(checked.costInput, field.node.selectionSet, named);
      if (!nodeSelection) continue;
      const nested = walk(nodeSelection, parts.nodeType, depth + 1);
      if (nested) return nested;
      if (hasConnection(checked.costInput, nodeSelection, parts.nodeType) && !selectsId(checked.costInput, nodeSelection, parts.nodeType)) {
        return `Invalid bulk query: the parent '${field.node.name.value}' node of a nested connection must select the 'id' field without an alias.`;
      }
    }
    return null;
  };
  const problem = walk(checked.operation.selectionSet, root, 0);
  if (problem) return { error: problem };
  if (connections > MAX_BULK_CONNECTIONS) return { error: `Invalid bulk query: bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections.` };
  return checked;
}

export function checkBulkMutation(schema: GraphQLSchema, mutation: string): CheckedDocument | { error: string } {
  const checked = parseAndValidate(schema, mutation, 'mutation');
  if ('error' in checked) return checked;
  const root = schema.getMutationType();
  if (!root || collectFields(checked.costInput, checked.operation.selectionSet, root).length !== 1) {
    return { error: 'Invalid bulk mutation: the document must call exactly one mutation field' };
  }
  return checked;
}

export function connectionNodeSelection(input: CostInput, selectionSet: SelectionSetNode, connectionType: GraphQLCompositeType): SelectionSetNode | null {
  const selections = [];
  for (const field of collectFields(input, selectionSet, connectionType)) {
    if (field.node.name.value === 'nodes' && field.node.selectionSet) selections.push(...field.node.selectionSet.selections);
    if (field.node.name.value === 'edges' && field.node.selectionSet && field.definition) {
      const edgeType = getNamedType(field.definition.type) as GraphQLCompositeType;
      for (const edgeField of collectFields(input, field.node.selectionSet, edgeType)) {
        if (edgeField.node.name.value === 'node' && edgeField.node.selectionSet) selections.push(...edgeField.node.selectionSet.selections);
      }
    }
  }
  return selections.length > 0 ? { kind: Kind.SELECTION_SET, selections } : null;
}

function hasConnection(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType): boolean {
  return collectFields(input, selectionSet, type).some((field) => field.definition && connectionParts(getNamedType(field.definition.type)));
}

function selectsId(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType): boolean {
  return collectFields(input, selectionSet, type).some((field) => field.node.name.value === 'id' && !field.node.alias);
}

