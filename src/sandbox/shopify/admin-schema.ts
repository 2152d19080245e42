/**
 * The real Shopify Admin GraphQL schema, API version 2026-07, built from the introspection
 * result shipped in `schemas/shopify/` (gzipped). Built once per process: it is large
 * (about 1 MB gzipped) and every sandbox and test shares it.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema } from 'graphql';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';

export const ADMIN_API_VERSION = '2026-07';

const SCHEMA_FILE = new URL('../../../schemas/shopify/admin_2026-07.json.gz', import.meta.url);

let cached: GraphQLSchema | undefined;

/**
 * The Admin schema, read and built on first use.
 *
 * @example
 * validate(adminSchema(), parse('{ shop { name } }')); // []
 */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    let introspection: { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
    try {
      introspection = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString('utf8')) as typeof introspection;
    } catch (error) {
      throw new Error(`cannot read the Shopify Admin schema ${SCHEMA_FILE.pathname}`, { cause: error });
    }
    cached = buildClientSchema((introspection.data ?? introspection) as IntrospectionQuery);
  }
  return cached;
}
