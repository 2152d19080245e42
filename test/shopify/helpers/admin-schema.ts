import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, getVariableValues, parse, validate, type GraphQLSchema, type IntrospectionQuery, type OperationDefinitionNode } from 'graphql';

let schema: GraphQLSchema | undefined;

/** The real Admin GraphQL schema, 2026-07, from the repository's copy of the introspection result. */
export function adminSchema(): GraphQLSchema {
  if (!schema) {
    const file = new URL('../../../schemas/shopify/admin_2026-07.json.gz', import.meta.url);
    const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data);
  }
  return schema;
}

/**
 * The problems of a document (and of the variables sent with it) against the Admin schema:
 * parse errors, validation errors, variables that do not coerce to their declared types.
 */
export function schemaProblems(document: string, variables?: Record<string, unknown>): string[] {
  let ast;
  try {
    ast = parse(document);
  } catch (error) {
    return [String(error)];
  }
  const problems = validate(adminSchema(), ast).map((error) => error.message);
  if (problems.length > 0 || variables === undefined) return problems;
  const operation = ast.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  const coerced = getVariableValues(adminSchema(), operation?.variableDefinitions ?? [], variables);
  return coerced.errors?.map((error) => error.message) ?? [];
}
