/**
 * A bulk query's JSONL objects: each node of the root connection on its own line, nested
 * connection nodes on their own lines with `__parentId`.
 * https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format
 */
import { getNamedType } from 'graphql';
import type { GraphQLCompositeType, SelectionSetNode } from 'graphql';
import { collectFields, connectionParts, responseKey } from '../graphql/query-cost.ts';
import type { CostInput } from '../graphql/query-cost.ts';
import { connectionNodeSelection } from './check-bulk-document.ts';

/**
 * Turns one page of a bulk query's result into JSONL objects: each node of the root
 * connection, then its nested connections' nodes with `__parentId`. Returns the root count.
 */
export function flattenBulkResult(input: CostInput, selectionSet: SelectionSetNode, data: unknown, emit: (line: Record<string, unknown>) => void): number {
  const root = input.schema.getQueryType() as GraphQLCompositeType;
  const [top] = collectFields(input, selectionSet, root);
  if (!top?.definition || !top.node.selectionSet || data === null || typeof data !== 'object') return 0;
  const connectionType = getNamedType(top.definition.type) as GraphQLCompositeType;
  const parts = connectionParts(connectionType);
  const nodeSelection = connectionNodeSelection(input, top.node.selectionSet, connectionType);
  if (!parts || !nodeSelection) return 0;
  const nodes = connectionNodes((data as Record<string, unknown>)[responseKey(top.node)]);
  for (const node of nodes) flattenNode(input, nodeSelection, parts.nodeType, node, null, emit);
  return nodes.length;
}

function flattenNode(
  input: CostInput,
  selectionSet: SelectionSetNode,
  type: GraphQLCompositeType,
  node: Record<string, unknown>,
  parentId: string | null,
  emit: (line: Record<string, unknown>) => void,
): void {
  const line: Record<string, unknown> = {};
  const children: (() => void)[] = [];
  for (const field of collectFields(input, selectionSet, type)) {
    const key = responseKey(field.node);
    const named = field.definition ? getNamedType(field.definition.type) : undefined;
    const parts = named ? connectionParts(named) : null;
    if (parts && field.node.selectionSet && named) {
      const childSelection = connectionNodeSelection(input, field.node.selectionSet, named as GraphQLCompositeType);
      const childNodes = connectionNodes(node[key]);
      if (childSelection) children.push(() => childNodes.forEach((child) => flattenNode(input, childSelection, parts.nodeType, child, String(node.id), emit)));
      continue;
    }
    if (key in node) line[key] = node[key];
  }
  if (parentId !== null) line.__parentId = parentId;
  emit(line);
  for (const child of children) child();
}

function connectionNodes(connection: unknown): Record<string, unknown>[] {
  if (connection === null || typeof connection !== 'object') return [];
  const record = connection as { edges?: { node?: unknown }[]; nodes?: unknown[] };
  const nodes = record.edges ? record.edges.map((edge) => edge.node) : (record.nodes ?? []);
  return nodes.filter((node): node is Record<string, unknown> => node !== null && typeof node === 'object');
}
