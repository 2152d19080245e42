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

/** What one node's line takes (its fields' response keys, in order) and which nested connections follow it. */
interface NodePlan {
  keys: string[];
  children: { key: string; plan: NodePlan }[];
}

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
  // The selection is walked once a page, not once a node.
  const plan = nodePlan(input, nodeSelection, parts.nodeType);
  const nodes = connectionNodes((data as Record<string, unknown>)[responseKey(top.node)]);
  for (const node of nodes) flattenNode(plan, node, null, emit);
  return nodes.length;
}

function nodePlan(input: CostInput, selectionSet: SelectionSetNode, type: GraphQLCompositeType): NodePlan {
  const plan: NodePlan = { keys: [], children: [] };
  for (const field of collectFields(input, selectionSet, type)) {
    const key = responseKey(field.node);
    const named = field.definition ? getNamedType(field.definition.type) : undefined;
    const parts = named ? connectionParts(named) : null;
    if (parts && field.node.selectionSet && named) {
      const childSelection = connectionNodeSelection(input, field.node.selectionSet, named as GraphQLCompositeType);
      if (childSelection) plan.children.push({ key, plan: nodePlan(input, childSelection, parts.nodeType) });
      continue;
    }
    plan.keys.push(key);
  }
  return plan;
}

function flattenNode(plan: NodePlan, node: Record<string, unknown>, parentId: string | null, emit: (line: Record<string, unknown>) => void): void {
  const line: Record<string, unknown> = {};
  for (const key of plan.keys) if (key in node) line[key] = node[key];
  if (parentId !== null) line.__parentId = parentId;
  emit(line);
  for (const child of plan.children) {
    for (const childNode of connectionNodes(node[child.key])) flattenNode(child.plan, childNode, String(node.id), emit);
  }
}

function connectionNodes(connection: unknown): Record<string, unknown>[] {
  if (connection === null || typeof connection !== 'object') return [];
  const record = connection as { edges?: { node?: unknown }[]; nodes?: unknown[] };
  const nodes = record.edges ? record.edges.map((edge) => edge.node) : (record.nodes ?? []);
  return nodes.filter((node): node is Record<string, unknown> => node !== null && typeof node === 'object');
}
