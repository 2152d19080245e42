/**
 * The GraphQL stage of a request: parse and validate against the Admin schema (cached), pick the
 * operation, coerce variables, compute the requested cost, refuse documents over the single-query
 * maximum, take the cost from the leaky bucket (or answer THROTTLED), execute, refund the
 * difference to the actual cost and answer with `extensions.cost`, all in the Admin API's shapes.
 * https://shopify.dev/docs/api/usage/limits#rate-limits
 */
import { executeSync, getOperationAST, getVariableValues, Kind } from 'graphql';
import type { DocumentNode, ExecutionResult, FragmentDefinitionNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { MAX_SINGLE_QUERY_COST } from './cost-bucket.ts';
import type { CostBucket } from './cost-bucket.ts';
import { createDocumentCache } from './document-cache.ts';
import { maxCostExceeded, throttled, toShopifyError } from './errors.ts';
import type { ExecutionState } from './execution-state.ts';
import { actualQueryCost, PageSizeError, requestedQueryCost } from './query-cost.ts';
import type { CostInput } from './query-cost.ts';

export interface GraphQLPipelineDeps {
  schema: GraphQLSchema;
  rootValue: Record<string, unknown>;
  bucket: CostBucket;
  /** Called for every request the bucket refuses and with every executed request's actual cost. */
  onThrottled(): void;
  onCost(actual: number): void;
}

export interface GraphQLOutcome {
  /** e.g. `query orders` or `mutation tagsAdd`; `invalid document` when it never ran. */
  label: string;
  body: Record<string, unknown>;
}

export interface GraphQLPipeline {
  run(query: string, variables: Record<string, unknown>, operationName: string | undefined): GraphQLOutcome;
  /** Executes an already validated document with no cost accounting (bulk operations). */
  execute(document: DocumentNode, variables: Record<string, unknown>, state: ExecutionState): ExecutionResult;
}

/**
 * @example
 * const pipeline = createGraphQLPipeline({ schema, rootValue, bucket, onThrottled() {}, onCost() {} });
 * pipeline.run('{ shop { name } }', {}, undefined).body; // { data: { shop: … }, extensions: { cost: … } }
 */
export function createGraphQLPipeline(deps: GraphQLPipelineDeps): GraphQLPipeline {
  const { schema, rootValue, bucket } = deps;
  const checkDocument = createDocumentCache(schema);
  const execute = (document: DocumentNode, variables: Record<string, unknown>, state: ExecutionState, operationName?: string): ExecutionResult =>
    executeSync({ schema, document, rootValue, contextValue: state, variableValues: variables, operationName });

  const run = (query: string, variables: Record<string, unknown>, operationName: string | undefined): GraphQLOutcome => {
    const checked = checkDocument(query);
    if ('errors' in checked) return { label: 'invalid document', body: { errors: checked.errors } };
    const { document } = checked;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return { label: 'invalid document', body: { errors: [{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }] } };
    }
    const label = `${operation.operation} ${rootFieldNames(operation).join(',')}`;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { label, body: { errors: coerced.errors.map(toShopifyError) } };
    const costInput: CostInput = { schema, operation, fragments: fragmentsOf(document), variables: coerced.coerced };

    let requested: number;
    try {
      requested = requestedQueryCost(costInput);
    } catch (error) {
      if (!(error instanceof PageSizeError)) throw error;
      const location = error.node.loc ? [{ line: error.node.loc.startToken.line, column: error.node.loc.startToken.column }] : undefined;
      return { label, body: { errors: [{ message: error.message, ...(location ? { locations: location } : {}), path: [...error.path] }] } };
    }
    if (requested > MAX_SINGLE_QUERY_COST) return { label, body: { errors: [maxCostExceeded(requested, MAX_SINGLE_QUERY_COST)] } };
    if (!bucket.take(requested)) {
      deps.onThrottled();
      return {
        label,
        body: { errors: [throttled()], extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } } },
      };
    }
    const result = execute(document, variables, { bulk: null }, operationName);
    const actual = actualQueryCost(costInput, result.data ?? null);
    bucket.refund(requested - actual);
    deps.onCost(actual);
    const body: Record<string, unknown> = {};
    if (result.errors) body.errors = result.errors.map(toShopifyError);
    body.data = result.data ?? null;
    body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
    return { label, body };
  };

  return { run, execute: (document, variables, state) => execute(document, variables, state) };
}

/** Distinct root field names, so that 50 aliased `tagsAdd` count as `mutation tagsAdd`. */
function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return [...new Set(operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '…')))];
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}
