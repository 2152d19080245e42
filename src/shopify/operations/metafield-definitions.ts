import { z } from 'zod';
import { ApiError } from '../../errors.ts';
import type { ShopifyClient } from '../client.ts';

/**
 * Customer metafield definitions: list those of a namespace, create one, update one's name,
 * description and admin filtering.
 * https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/metafieldDefinitionCreate, metafieldDefinitionUpdate,
 * queries/metafieldDefinitions. `capabilities.adminFilterable` lets merchants filter customers on
 * the value in the admin; Shopify accepts it for a few types only (not `number_integer`, per a
 * Shopify staff answer: community.shopify.com/t/unable-to-create-admin-filterable-metafield-definitions/366655).
 */

export interface CustomerMetafieldDefinition {
  readonly id: string;
  readonly namespace: string;
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly description: string | null;
}

export interface NewMetafieldDefinition {
  readonly namespace: string;
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly adminFilterable: boolean;
}

export const METAFIELD_DEFINITIONS_QUERY = `query TiersyncMetafieldDefinitions($namespace: String!, $after: String) {
  metafieldDefinitions(first: 250, after: $after, ownerType: CUSTOMER, namespace: $namespace) {
    nodes { id namespace key name description type { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const METAFIELD_DEFINITION_UPDATE_MUTATION = `mutation TiersyncMetafieldDefinitionUpdate($definition: MetafieldDefinitionUpdateInput!) {
  metafieldDefinitionUpdate(definition: $definition) {
    updatedDefinition { id namespace key name description type { name } }
    userErrors { field message code }
  }
}`;

export const METAFIELD_DEFINITION_CREATE_MUTATION = `mutation TiersyncMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $definition) {
    createdDefinition { id namespace key name description type { name } }
    userErrors { field message code }
  }
}`;

const definitionSchema = z.object({
  id: z.string(),
  namespace: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  type: z.object({ name: z.string() }),
});
const toDefinition = (node: z.output<typeof definitionSchema>): CustomerMetafieldDefinition => ({ ...node, type: node.type.name });

/** 250 nodes of one object each (type) + scalars: 2 + 250 × 2. */
const PAGE_COST = 502;

/**
 * @example
 * const definitions = metafieldDefinitions(client);
 * await definitions.list('tiersync'); // [{ key: 'tier', type: 'single_line_text_field', name: 'tiersync tier', ... }]
 */
export function metafieldDefinitions(client: ShopifyClient) {
  return {
    async list(namespace: string): Promise<CustomerMetafieldDefinition[]> {
      const all: CustomerMetafieldDefinition[] = [];
      let after: string | null = null;
      do {
        const data: { metafieldDefinitions: { nodes: z.output<typeof definitionSchema>[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await client.request({
          operation: 'customer metafield definitions',
          document: METAFIELD_DEFINITIONS_QUERY,
          variables: { namespace, after },
          estimatedCost: PAGE_COST,
          data: z.object({ metafieldDefinitions: z.object({ nodes: z.array(definitionSchema), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }) }) }),
        });
        all.push(...data.metafieldDefinitions.nodes.map(toDefinition));
        after = data.metafieldDefinitions.pageInfo.hasNextPage ? data.metafieldDefinitions.pageInfo.endCursor : null;
      } while (after);
      return all;
    },
    create: (definition: NewMetafieldDefinition) =>
      write(client, `create metafield definition ${definition.namespace}.${definition.key}`, METAFIELD_DEFINITION_CREATE_MUTATION, 'metafieldDefinitionCreate', 'createdDefinition', {
        ...definitionInput(definition),
        type: definition.type,
      }),
    /** Name, description and admin filtering of an existing definition (its type cannot change). */
    update: (definition: NewMetafieldDefinition) =>
      write(client, `update metafield definition ${definition.namespace}.${definition.key}`, METAFIELD_DEFINITION_UPDATE_MUTATION, 'metafieldDefinitionUpdate', 'updatedDefinition', definitionInput(definition)),
  };
}

export type MetafieldDefinitions = ReturnType<typeof metafieldDefinitions>;

/** The fields both definition inputs take (MetafieldDefinitionInput, MetafieldDefinitionUpdateInput); create adds the type, which an update cannot change. */
const definitionInput = (definition: NewMetafieldDefinition) => ({
  ownerType: 'CUSTOMER',
  namespace: definition.namespace,
  key: definition.key,
  name: definition.name,
  description: definition.description,
  capabilities: { adminFilterable: { enabled: definition.adminFilterable } },
});

async function write(
  client: ShopifyClient,
  operation: string,
  document: string,
  field: 'metafieldDefinitionCreate' | 'metafieldDefinitionUpdate',
  result: 'createdDefinition' | 'updatedDefinition',
  definition: Record<string, unknown>,
): Promise<CustomerMetafieldDefinition> {
  const payloadSchema = z
    .object({ [result]: definitionSchema.nullable(), userErrors: z.array(z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable() })) })
    .nullable();
  const data = await client.request({ operation, document, variables: { definition }, estimatedCost: 10, data: z.object({ [field]: payloadSchema }) });
  const payload = data[field] as { userErrors: { message: string; code: string | null }[] } & Record<string, z.output<typeof definitionSchema> | null> | null;
  const written = payload?.[result] as z.output<typeof definitionSchema> | null | undefined;
  if (!written) {
    const messages = payload?.userErrors.map((error) => `${error.code ?? ''} ${error.message}`.trim()).join('; ') ?? 'no definition returned';
    throw new ApiError(`refused: ${messages}`, { service: 'shopify', operation });
  }
  return toDefinition(written);
}
