/**
 * GraphQL errors in the shape the Admin API returns them. Shopify runs graphql-ruby, whose
 * messages differ from graphql-js for the same rule; the common ones are translated
 * (e.g. `Field 'foo' doesn't exist on type 'Order'` with `extensions.code: "undefinedField"`),
 * the rest keep graphql-js's wording.
 */
import type { GraphQLError } from 'graphql';

export const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';

export interface ShopifyGraphQLError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

const TRANSLATIONS: { pattern: RegExp; translate: (match: RegExpExecArray) => { message: string; extensions: Record<string, unknown> } }[] = [
  {
    pattern: /^Cannot query field "([^"]+)" on type "([^"]+)"\./,
    translate: ([, fieldName, typeName]) => ({
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: 'undefinedField', typeName, fieldName },
    }),
  },
  {
    pattern: /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./,
    translate: ([, argumentName, , fieldName]) => ({
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      extensions: { code: 'argumentNotAccepted', name: fieldName, typeName: 'Field', argumentName },
    }),
  },
  {
    pattern: /^Field "([^".]+)\.([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\./,
    translate: ([, , fieldName, argumentName]) => ({
      message: `Field '${fieldName}' is missing required arguments: ${argumentName}`,
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: fieldName, arguments: argumentName },
    }),
  },
  {
    pattern: /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\./,
    translate: ([, fieldName, typeName = '']) => ({
      message: `Field must have selections (field '${fieldName}' returns ${typeName.replace(/[![\]]/g, '')} but has no selections. Did you mean '${fieldName} { ... }'?)`,
      extensions: { code: 'selectionMismatch', nodeName: `field '${fieldName}'`, typeName: typeName.replace(/[![\]]/g, '') },
    }),
  },
];

/**
 * Converts a graphql-js error (parse, validation or execution) into Shopify's shape.
 *
 * @example
 * toShopifyError(validate(schema, parse('{ shop { nope } }'))[0]);
 * // { message: "Field 'nope' doesn't exist on type 'Shop'", locations: [...], extensions: { code: 'undefinedField', ... } }
 */
export function toShopifyError(error: GraphQLError): ShopifyGraphQLError {
  const result: ShopifyGraphQLError = { message: error.message };
  for (const { pattern, translate } of TRANSLATIONS) {
    const match = pattern.exec(error.message);
    if (match) {
      const translated = translate(match);
      result.message = translated.message;
      result.extensions = translated.extensions;
      break;
    }
  }
  if (error.locations) result.locations = error.locations.map(({ line, column }) => ({ line, column }));
  if (error.path) result.path = [...error.path];
  if (!result.extensions && error.extensions && Object.keys(error.extensions).length > 0) result.extensions = { ...error.extensions };
  return result;
}

/**
 * The top-level error for a document whose requested cost is over the single-query maximum, in
 * the text Shopify sends. https://shopify.dev/docs/api/usage/limits#rate-limits
 *
 * @example
 * maxCostExceeded(1_502, 1_000).extensions.code; // 'MAX_COST_EXCEEDED'
 */
export function maxCostExceeded(requested: number, maxCost: number): ShopifyGraphQLError & { extensions: Record<string, unknown> } {
  return {
    message:
      `Query cost is ${requested}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n' +
      'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
      'See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n',
    extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost, documentation: RATE_LIMITS_DOC },
  };
}

/** The top-level error of a request the cost bucket cannot pay for. @example throttled().message; // 'Throttled' */
export function throttled(): ShopifyGraphQLError {
  return { message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } };
}
