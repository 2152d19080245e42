/**
 * Bulk operations: `bulkOperationRunQuery` pages through the query's root connection in the
 * background and writes JSONL, one line per node, nested connection nodes on their own lines
 * with `__parentId`; `bulkOperationRunMutation` runs a mutation once per line of an uploaded
 * JSONL of variables and writes one result line per input line with `__lineNumber`.
 * Both move CREATED → RUNNING → COMPLETED and never touch the cost bucket beyond the mutation
 * that starts them. https://shopify.dev/docs/api/usage/bulk-operations/queries
 * https://shopify.dev/docs/api/usage/bulk-operations/imports
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getNamedType, Kind, parse, validate } from 'graphql';
import type { DocumentNode, ExecutionResult, FragmentDefinitionNode, GraphQLCompositeType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { BulkOperationRecord, BulkOperationsPort, BulkOperationType, BulkUserError, ExecutionState } from './admin-resolvers.ts';
import { toShopifyError } from './graphql-errors.ts';
import { collectFields, connectionParts, responseKey } from './query-cost.ts';
import type { CostInput } from './query-cost.ts';
import type { StagedUploads } from './staged-uploads.ts';

export const BULK_RESULTS_PATH = '/__bulk';

/**
 * Since API version 2026-01 an app may run up to five bulk operations per shop at once
 * (https://shopify.dev/changelog/faster-bulk-operations); earlier versions allowed one of each type.
 */
export const DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS = 5;
/** Bulk queries support up to five connections, nested at most two levels deep. */
const MAX_BULK_CONNECTIONS = 5;
const MAX_BULK_NESTING = 2;

/** Sandbox pacing at time scale 1 (Shopify publishes no throughput; these keep jobs visibly asynchronous). */
const START_DELAY_MS = 1_000;
const OBJECTS_PER_SECOND = 5_000;
const ROOT_PAGE_SIZE = 500;

export interface BulkOperationsDeps {
  schema: GraphQLSchema;
  execute: (document: DocumentNode, variables: Record<string, unknown>, state: ExecutionState) => ExecutionResult;
  uploads: StagedUploads;
  baseUrl: () => string;
  now: () => number;
  timeScale: number;
  maxConcurrent: number;
}

export interface BulkOperations extends BulkOperationsPort {
  /** Path on disk of a finished operation's JSONL, by the numeric id in its URL. */
  resultFile(numericId: string): string | undefined;
  reset(): void;
  close(): void;
}

interface Job {
  record: BulkOperationRecord;
  file: string;
  timer: NodeJS.Timeout | null;
}

/**
 * @example
 * const bulk = createBulkOperations({ schema, execute, uploads, baseUrl, now: Date.now, timeScale: 1, maxConcurrent: 5 });
 * bulk.runQuery('{ orders { edges { node { id } } } }');
 */
export function createBulkOperations(deps: BulkOperationsDeps): BulkOperations {
  const directory = mkdtempSync(join(tmpdir(), 'tiersync-shopify-sandbox-'));
  let jobs: Job[] = [];
  let sequence = 0;

  const iso = () => new Date(deps.now()).toISOString();
  const delay = (ms: number) => Math.max(0, Math.round(ms / deps.timeScale));
  const running = () => jobs.filter((job) => job.record.status === 'CREATED' || job.record.status === 'RUNNING').length;

  const start = (type: BulkOperationType, query: string, work: (job: Job) => boolean): BulkOperationRecord => {
    sequence += 1;
    const numericId = String(4_100_000_000 + sequence);
    const file = join(directory, `${numericId}.jsonl`);
    writeFileSync(file, '');
    const record: BulkOperationRecord = {
      id: `gid://shopify/BulkOperation/${numericId}`,
      type,
      status: 'CREATED',
      errorCode: null,
      createdAt: iso(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      query,
    };
    const job: Job = { record, file, timer: null };
    jobs.push(job);
    const step = (): void => {
      job.record.status = 'RUNNING';
      let more: boolean;
      try {
        more = work(job);
      } catch {
        job.record.status = 'FAILED';
        job.record.errorCode = 'INTERNAL_SERVER_ERROR';
        job.record.completedAt = iso();
        job.timer = null;
        return;
      }
      if (more) {
        job.timer = setTimeout(step, delay((ROOT_PAGE_SIZE / OBJECTS_PER_SECOND) * 1000));
        return;
      }
      job.record.status = 'COMPLETED';
      job.record.completedAt = iso();
      job.record.fileSize = statSync(job.file).size;
      // Shopify gives no URL when a bulk query produced no objects.
      job.record.url = job.record.objectCount > 0 || type === 'MUTATION' ? `${deps.baseUrl()}${BULK_RESULTS_PATH}/${numericId}.jsonl` : null;
      job.timer = null;
    };
    job.timer = setTimeout(step, delay(START_DELAY_MS));
    return record;
  };

  const limitReached = (): BulkUserError => ({
    field: null,
    message: `A maximum of ${deps.maxConcurrent} bulk operations can run at the same time for this app and shop. Please try again later.`,
    code: 'LIMIT_REACHED',
  });

  return {
    runQuery(query) {
      const checked = checkBulkQuery(deps.schema, query);
      if ('error' in checked) return { operation: null, userErrors: [{ field: ['query'], message: checked.error, code: 'INVALID' }] };
      if (running() >= deps.maxConcurrent) return { operation: null, userErrors: [limitReached()] };
      const bulkState: NonNullable<ExecutionState['bulk']> = { rootPage: { first: ROOT_PAGE_SIZE }, endCursor: null, hasNextPage: true, rootCount: 0 };
      const operation = start('QUERY', query, (job) => {
        bulkState.rootPage = { first: ROOT_PAGE_SIZE, after: bulkState.endCursor };
        bulkState.rootCount = 0;
        const result = deps.execute(checked.document, {}, { bulk: bulkState });
        if (result.errors?.length) throw new Error(result.errors.map((error) => error.message).join('; '));
        const lines: string[] = [];
        const roots = flattenBulkResult(checked.costInput, checked.operation.selectionSet, result.data, (line) => lines.push(JSON.stringify(line)));
        if (lines.length > 0) appendFileSync(job.file, `${lines.join('\n')}\n`);
        job.record.objectCount += lines.length;
        job.record.rootObjectCount += roots;
        return bulkState.hasNextPage && bulkState.rootCount > 0;
      });
      return { operation, userErrors: [] };
    },

    runMutation(mutation, stagedUploadPath) {
      const content = deps.uploads.content(stagedUploadPath);
      if (content === undefined) {
        return {
          operation: null,
          userErrors: [{ field: ['stagedUploadPath'], message: 'The JSONL file could not be found. Try uploading the file again, and check that you have entered the URL correctly for the stagedUploadPath mutation argument.', code: 'NO_SUCH_FILE' }],
        };
      }
      const checked = checkBulkMutation(deps.schema, mutation);
      if ('error' in checked) return { operation: null, userErrors: [{ field: ['mutation'], message: checked.error, code: 'INVALID_MUTATION' }] };
      const lines = content.toString('utf8').split('\n').filter((line) => line.trim() !== '');
      const variables: Record<string, unknown>[] = [];
      for (const [index, line] of lines.entries()) {
        try {
          const parsed = JSON.parse(line) as unknown;
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
          variables.push(parsed as Record<string, unknown>);
        } catch (error) {
          return {
            operation: null,
            userErrors: [{ field: ['stagedUploadPath'], message: `The JSONL file is invalid: line ${index + 1} is not a JSON object of variables (${(error as Error).message}).`, code: 'INVALID_STAGED_UPLOAD_FILE' }],
          };
        }
      }
      if (running() >= deps.maxConcurrent) return { operation: null, userErrors: [limitReached()] };
      let next = 0;
      const operation = start('MUTATION', mutation, (job) => {
        const out: string[] = [];
        for (const end = Math.min(variables.length, next + ROOT_PAGE_SIZE); next < end; next += 1) {
          const result = deps.execute(checked.document, variables[next] as Record<string, unknown>, { bulk: null });
          out.push(JSON.stringify({ ...(result.errors ? { errors: result.errors.map(toShopifyError) } : {}), data: result.data ?? null, __lineNumber: next }));
        }
        if (out.length > 0) appendFileSync(job.file, `${out.join('\n')}\n`);
        job.record.objectCount += out.length;
        job.record.rootObjectCount += out.length;
        return next < variables.length;
      });
      return { operation, userErrors: [] };
    },

    current(type) {
      for (let index = jobs.length - 1; index >= 0; index -= 1) {
        const job = jobs[index] as Job;
        if (job.record.type === type) return job.record;
      }
      return null;
    },
    byId: (id) => jobs.find((job) => job.record.id === id)?.record ?? null,
    resultFile(numericId) {
      const job = jobs.find((candidate) => candidate.record.id.endsWith(`/${numericId}`));
      return job && job.record.status === 'COMPLETED' ? job.file : undefined;
    },
    reset() {
      for (const job of jobs) if (job.timer) clearTimeout(job.timer);
      for (const job of jobs) rmSync(job.file, { force: true });
      jobs = [];
    },
    close() {
      for (const job of jobs) if (job.timer) clearTimeout(job.timer);
      jobs = [];
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface CheckedDocument {
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
function checkBulkQuery(schema: GraphQLSchema, query: string): CheckedDocument | { error: string } {
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

function checkBulkMutation(schema: GraphQLSchema, mutation: string): CheckedDocument | { error: string } {
  const checked = parseAndValidate(schema, mutation, 'mutation');
  if ('error' in checked) return checked;
  const root = schema.getMutationType();
  if (!root || collectFields(checked.costInput, checked.operation.selectionSet, root).length !== 1) {
    return { error: 'Invalid bulk mutation: the document must call exactly one mutation field' };
  }
  return checked;
}

function connectionNodeSelection(input: CostInput, selectionSet: SelectionSetNode, connectionType: GraphQLCompositeType): SelectionSetNode | null {
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

/**
 * Turns one page of a bulk query's result into JSONL objects: each node of the root
 * connection, then its nested connections' nodes with `__parentId`. Returns the root count.
 */
function flattenBulkResult(input: CostInput, selectionSet: SelectionSetNode, data: unknown, emit: (line: Record<string, unknown>) => void): number {
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
