import { describe, expect, it } from 'vitest';
import { getOperationAST, Kind, parse } from 'graphql';
import type { FragmentDefinitionNode } from 'graphql';
import { adminSchema } from '../../../src/sandbox/shopify/admin-schema.ts';
import { actualQueryCost, PageSizeError, requestedQueryCost } from '../../../src/sandbox/shopify/graphql/query-cost.ts';
import type { CostInput } from '../../../src/sandbox/shopify/graphql/query-cost.ts';
import { assertValidAdminDocument } from '../../helpers/sandbox.ts';

function costInput(query: string, variables: Record<string, unknown> = {}): CostInput {
  assertValidAdminDocument(query);
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return { schema: adminSchema(), operation: getOperationAST(document)!, fragments, variables };
}

describe('requestedQueryCost', () => {
  it('charges 0 for scalars and 1 for an object', () => {
    expect(requestedQueryCost(costInput('{ shop { name currencyCode } }'))).toBe(1);
  });

  it("charges a connection 2 plus first × one node (Shopify's products example: 2 + 10 × 1)", () => {
    expect(requestedQueryCost(costInput('{ products(first: 10) { edges { node { id title } } } }'))).toBe(12);
  });

  it('nests: each order costs 1 + money 2 + customer 2 + lineItems (2 + 5 × (1 + product 1)); pageInfo 1', () => {
    const query = `{ orders(first: 10) { edges { node {
      id currentTotalPriceSet { shopMoney { amount } }
      customer { id defaultEmailAddress { emailAddress } }
      lineItems(first: 5) { nodes { quantity product { productType } } }
    } } pageInfo { hasNextPage endCursor } } }`;
    // node = 1 + 2 + 2 + (2 + 5 × 2) = 17; connection = 2 + 10 × 17 + pageInfo 1 = 173
    expect(requestedQueryCost(costInput(query))).toBe(173);
  });

  it('reads page sizes from variables and sums aliased fields', () => {
    const query = 'query($n: Int!) { a: customers(first: $n) { nodes { id } } b: customers(first: 3) { nodes { id tags } } }';
    expect(requestedQueryCost(costInput(query, { n: 50 }))).toBe(2 + 50 + (2 + 3));
  });

  it('charges a mutation field 10 whatever it selects', () => {
    const query = `mutation { a: tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { node { id } userErrors { message } }
      b: tagsRemove(id: "gid://shopify/Customer/1", tags: ["y"]) { userErrors { field message } } }`;
    expect(requestedQueryCost(costInput(query))).toBe(20);
  });

  it('charges an interface the most expensive of its possible selections', () => {
    const query = `{ node(id: "gid://shopify/Order/1") { id
      ... on Order { customer { id } lineItems(first: 4) { nodes { id } } }
      ... on Customer { defaultEmailAddress { emailAddress } } } }`;
    // Order branch: 1 + customer 1 + (2 + 4 × 1) = 8; Customer branch: 1 + 1 = 2
    expect(requestedQueryCost(costInput(query))).toBe(8);
  });

  it('skips fields under @skip(if: true)', () => {
    expect(requestedQueryCost(costInput('{ shop { name } orders(first: 5) @skip(if: true) { nodes { id } } }'))).toBe(1);
  });

  it('rejects a connection without first or last, and one over 250', () => {
    expect(() => requestedQueryCost(costInput('{ orders { nodes { id } } }'))).toThrow(PageSizeError);
    expect(() => requestedQueryCost(costInput('{ orders(first: 251) { nodes { id } } }'))).toThrow(/first cannot exceed 250/);
    expect(requestedQueryCost(costInput('{ orders(last: 250) { nodes { id } } }'))).toBe(252);
  });
});

describe('actualQueryCost', () => {
  it('counts the nodes a connection returned (an empty page costs 2, its pageInfo 1)', () => {
    const input = costInput('{ customers(first: 10) { nodes { id } pageInfo { hasNextPage } } }');
    expect(requestedQueryCost(input)).toBe(13);
    expect(actualQueryCost(input, { customers: { nodes: [], pageInfo: { hasNextPage: false } } })).toBe(3);
    expect(actualQueryCost(input, { customers: { nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], pageInfo: { hasNextPage: false } } })).toBe(6);
  });

  it('charges nothing below a null object and never more than requested', () => {
    const input = costInput('{ orders(first: 2) { edges { node { id customer { id defaultEmailAddress { emailAddress } } } } } }');
    const data = {
      orders: {
        edges: [
          { node: { id: '1', customer: null } },
          { node: { id: '2', customer: { id: 'c', defaultEmailAddress: { emailAddress: 'a@b.c' } } } },
        ],
      },
    };
    // 2 + (1) + (1 + 1 + 1) = 6; requested = 2 + 2 × 3 = 8
    expect(actualQueryCost(input, data)).toBe(6);
    expect(requestedQueryCost(input)).toBe(8);
  });
});
