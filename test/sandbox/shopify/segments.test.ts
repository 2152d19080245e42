import { describe, expect, it } from 'vitest';
import { shopifyGraphQL, useSandbox } from '../../helpers/sandbox.ts';

const SEGMENT_CREATE = 'mutation($name: String!, $query: String!) { segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } } }';
const SEGMENT_UPDATE = 'mutation($id: ID!, $name: String, $query: String) { segmentUpdate(id: $id, name: $name, query: $query) { segment { id name query } userErrors { field message } } }';
const SEGMENT_DELETE = 'mutation($id: ID!) { segmentDelete(id: $id) { deletedSegmentId userErrors { field message } } }';
const SEGMENTS = 'query($after: String) { segments(first: 2, after: $after) { nodes { id name query } pageInfo { hasNextPage endCursor } } }';
const SEGMENT = 'query($id: ID!) { segment(id: $id) { name query } }';
const MEMBERS = 'query($id: ID, $query: String) { customerSegmentMembers(first: 250, segmentId: $id, query: $query) { totalCount edges { node { id displayName } } } }';
const TAGS_ADD = 'mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { userErrors { message } } }';
const METAFIELDS_SET = 'mutation($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { message } } }';
const DEFINITION_CREATE = `mutation($definition: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $definition) {
  createdDefinition { namespace key name description type { name } capabilities { adminFilterable { eligible enabled status } } } userErrors { field message code } } }`;
const DEFINITIONS = 'query { metafieldDefinitions(first: 10, ownerType: CUSTOMER, namespace: "tiersync") { nodes { key name type { name } } } }';

describe('Shopify sandbox: customer segments and metafield definitions', () => {
  const sandbox = useSandbox({ customers: 20 });
  const customerIds = () => sandbox().shopify.state().customers.map((customer) => customer.id);
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await shopifyGraphQL(sandbox(), query, variables);
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data;
  };

  it('creates, lists, pages, renames and deletes segments, refusing duplicate names and queries it cannot evaluate', async () => {
    sandbox().shopify.reset();
    const vip = (await gql(SEGMENT_CREATE, { name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" })).segmentCreate;
    expect(vip).toEqual({ segment: { id: 'gid://shopify/Segment/5100000001', name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" }, userErrors: [] });
    await gql(SEGMENT_CREATE, { name: 'tiersync: Champions', query: "customer_tags CONTAINS 'ltv:champion'" });
    await gql(SEGMENT_CREATE, { name: 'Merchant: newsletter', query: "customer_tags CONTAINS 'newsletter'" });

    const duplicate = (await gql(SEGMENT_CREATE, { name: 'tiersync: VIP', query: "customer_tags CONTAINS 'x'" })).segmentCreate;
    expect(duplicate).toEqual({ segment: null, userErrors: [{ field: ['name'], message: 'Name has already been taken' }] });
    const unknown = (await gql(SEGMENT_CREATE, { name: 'Spend', query: 'amount_spent > 100' })).segmentCreate;
    expect(unknown.userErrors[0].field).toEqual(['query']);
    expect(unknown.userErrors[0].message).toMatch(/does not evaluate the attribute "amount_spent"/);
    const undefinedMetafield = (await gql(SEGMENT_CREATE, { name: 'Risky', query: 'metafields.tiersync.churn_risk > 70' })).segmentCreate;
    expect(undefinedMetafield.userErrors[0].message).toMatch(/No customer metafield definition for tiersync.churn_risk/);

    const first = (await gql(SEGMENTS)).segments;
    expect(first.nodes.map((node: { name: string }) => node.name)).toEqual(['tiersync: VIP', 'tiersync: Champions']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await gql(SEGMENTS, { after: first.pageInfo.endCursor })).segments;
    expect(second.nodes.map((node: { name: string }) => node.name)).toEqual(['Merchant: newsletter']);

    const renamed = (await gql(SEGMENT_UPDATE, { id: vip.segment.id, name: 'tiersync: Very Important' })).segmentUpdate;
    expect(renamed.segment).toEqual({ id: vip.segment.id, name: 'tiersync: Very Important', query: "customer_tags CONTAINS 'ltv:vip'" });
    expect((await gql(SEGMENT, { id: vip.segment.id })).segment.name).toBe('tiersync: Very Important');
    const clash = (await gql(SEGMENT_UPDATE, { id: vip.segment.id, name: 'tiersync: Champions' })).segmentUpdate;
    expect(clash.userErrors).toEqual([{ field: ['name'], message: 'Name has already been taken' }]);

    const deleted = (await gql(SEGMENT_DELETE, { id: 'gid://shopify/Segment/5100000003' })).segmentDelete;
    expect(deleted).toEqual({ deletedSegmentId: 'gid://shopify/Segment/5100000003', userErrors: [] });
    expect(sandbox().shopify.state().segments).toEqual([
      { id: 'gid://shopify/Segment/5100000001', name: 'tiersync: Very Important', query: "customer_tags CONTAINS 'ltv:vip'" },
      { id: 'gid://shopify/Segment/5100000002', name: 'tiersync: Champions', query: "customer_tags CONTAINS 'ltv:champion'" },
    ]);
  });

  it('defines customer metafields (admin-filterable for text only) and evaluates members on tags, metafields, AND and OR', async () => {
    sandbox().shopify.reset();
    const [a, b, c] = customerIds() as [string, string, string];
    const gid = (id: string) => `gid://shopify/Customer/${id}`;
    await gql(TAGS_ADD, { id: gid(a), tags: ['ltv:vip'] });
    await gql(TAGS_ADD, { id: gid(b), tags: ['LTV:VIP', 'reactivate'] });
    await gql(TAGS_ADD, { id: gid(c), tags: ['ltv:champion'] });
    const definition = (key: string, type: string, adminFilterable: boolean) => ({
      definition: { namespace: 'tiersync', key, type, name: `tiersync ${key}`, description: `the ${key}`, ownerType: 'CUSTOMER', capabilities: { adminFilterable: { enabled: adminFilterable } } },
    });
    const tier = (await gql(DEFINITION_CREATE, definition('tier', 'single_line_text_field', true))).metafieldDefinitionCreate;
    expect(tier).toEqual({
      createdDefinition: { namespace: 'tiersync', key: 'tier', name: 'tiersync tier', description: 'the tier', type: { name: 'single_line_text_field' }, capabilities: { adminFilterable: { eligible: true, enabled: true, status: 'FILTERABLE' } } },
      userErrors: [],
    });
    const numberFilterable = (await gql(DEFINITION_CREATE, definition('churn_risk', 'number_integer', true))).metafieldDefinitionCreate;
    expect(numberFilterable.userErrors).toEqual([{ field: ['definition', 'capabilities'], message: 'The capability admin_filterable is not valid for this definition.', code: 'INVALID_CAPABILITY' }]);
    expect((await gql(DEFINITION_CREATE, definition('churn_risk', 'number_integer', false))).metafieldDefinitionCreate.userErrors).toEqual([]);
    const taken = (await gql(DEFINITION_CREATE, definition('tier', 'single_line_text_field', false))).metafieldDefinitionCreate;
    expect(taken.userErrors[0].code).toBe('TAKEN');
    expect((await gql(DEFINITIONS)).metafieldDefinitions.nodes).toEqual([
      { key: 'tier', name: 'tiersync tier', type: { name: 'single_line_text_field' } },
      { key: 'churn_risk', name: 'tiersync churn_risk', type: { name: 'number_integer' } },
    ]);
    expect(sandbox().shopify.state().metafield_definitions).toEqual([
      { namespace: 'tiersync', key: 'tier', type: 'single_line_text_field', name: 'tiersync tier' },
      { namespace: 'tiersync', key: 'churn_risk', type: 'number_integer', name: 'tiersync churn_risk' },
    ]);

    const metafield = (id: string, key: string, type: string, value: string) => ({ ownerId: gid(id), namespace: 'tiersync', key, type, value });
    await gql(METAFIELDS_SET, { metafields: [metafield(a, 'churn_risk', 'number_integer', '80'), metafield(b, 'churn_risk', 'number_integer', '20'), metafield(c, 'churn_risk', 'number_integer', '75')] });
    await gql(METAFIELDS_SET, { metafields: [metafield(c, 'tier', 'single_line_text_field', 'champion')] });

    const members = async (query: string) => {
      const answer = (await gql(MEMBERS, { query })).customerSegmentMembers;
      return { total: answer.totalCount, ids: answer.edges.map((edge: { node: { id: string } }) => edge.node.id.split('/').pop()) };
    };
    expect(await members("customer_tags CONTAINS 'ltv:vip'")).toEqual({ total: 2, ids: [a, b] });
    expect(await members("customer_tags CONTAINS 'ltv:vip' AND metafields.tiersync.churn_risk > 70")).toEqual({ total: 1, ids: [a] });
    expect(await members("metafields.tiersync.tier = 'champion' OR customer_tags CONTAINS 'reactivate'")).toEqual({ total: 2, ids: [b, c] });
    expect(await members("(customer_tags CONTAINS 'ltv:vip' OR customer_tags CONTAINS 'ltv:champion') AND metafields.tiersync.churn_risk >= 75")).toEqual({ total: 2, ids: [a, c] });
    expect((await members('metafields.tiersync.tier IS NOT NULL')).total).toBe(1);

    const segment = (await gql(SEGMENT_CREATE, { name: 'tiersync: VIP', query: "customer_tags CONTAINS 'ltv:vip'" })).segmentCreate.segment;
    const bySegment = (await gql(MEMBERS, { id: segment.id })).customerSegmentMembers;
    expect(bySegment.totalCount).toBe(2);
    const missing = await shopifyGraphQL(sandbox(), MEMBERS, { id: 'gid://shopify/Segment/1' });
    expect(missing.body.errors[0].message).toBe('Segment does not exist');
  });
});
