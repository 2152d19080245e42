/**
 * Parses and validates GraphQL documents against the Admin schema, keeping the outcome by text:
 * clients send the same few documents over and over with other variables, and validating against
 * the 1 MB schema dominates a request.
 */
import { parse, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { toShopifyError } from './errors.ts';
import type { ShopifyGraphQLError } from './errors.ts';

const MAX_CACHED_DOCUMENTS = 500;

export type CheckedDocument = { document: DocumentNode } | { errors: ShopifyGraphQLError[] };

/**
 * @example
 * const check = createDocumentCache(adminSchema());
 * check('{ shop { name } }'); // { document }
 */
export function createDocumentCache(schema: GraphQLSchema): (query: string) => CheckedDocument {
  const checkedDocuments = new Map<string, CheckedDocument>();
  return (query) => {
    const cached = checkedDocuments.get(query);
    if (cached) return cached;
    let checked: CheckedDocument;
    try {
      const document = parse(query);
      const errors = validate(schema, document);
      checked = errors.length > 0 ? { errors: errors.map(toShopifyError) } : { document };
    } catch (error) {
      checked = { errors: [toShopifyError(error as GraphQLError)] };
    }
    if (checkedDocuments.size >= MAX_CACHED_DOCUMENTS) checkedDocuments.delete(checkedDocuments.keys().next().value as string);
    checkedDocuments.set(query, checked);
    return checked;
  };
}
