import { describe, expect, it } from 'vitest';
import { BULK_OPERATION_STATUS_QUERY } from '../../src/shopify/bulk/poll-bulk-operation.ts';
import { STAGED_UPLOADS_CREATE_MUTATION } from '../../src/shopify/bulk/staged-upload.ts';
import { RUN_BULK_QUERY_MUTATION } from '../../src/shopify/bulk/start-bulk-query.ts';
import { ordersBulkQuery } from '../../src/shopify/documents/orders-bulk-query.ts';
import { aliasedTagMutation } from '../../src/shopify/operations/aliased-tag-mutation.ts';
import { customersPageQuery } from '../../src/shopify/operations/fetch-customers.ts';
import { ORDER_LINE_ITEMS_QUERY, ORDERS_UPDATED_SINCE_QUERY } from '../../src/shopify/operations/fetch-orders-updated-since.ts';
import { RUN_BULK_MUTATION } from '../../src/shopify/bulk/run-bulk-mutation.ts';
import { BULK_TAGS_ADD_MUTATION, BULK_TAGS_REMOVE_MUTATION } from '../../src/shopify/operations/run-bulk-tag-mutation.ts';
import { customersBulkQuery } from '../../src/shopify/operations/run-customers-bulk-query.ts';
import { aliasedMetafieldsSet } from '../../src/shopify/operations/set-metafields.ts';
import { METAFIELDS_DELETE_MUTATION } from '../../src/shopify/operations/delete-metafields.ts';
import { BULK_METAFIELDS_SET_MUTATION } from '../../src/shopify/operations/run-bulk-metafields-set.ts';
import { SEGMENT_CREATE_MUTATION, SEGMENT_MEMBER_COUNT_QUERY, SEGMENT_UPDATE_MUTATION, SEGMENTS_PAGE_QUERY } from '../../src/shopify/operations/customer-segments.ts';
import { METAFIELD_DEFINITION_CREATE_MUTATION, METAFIELD_DEFINITION_UPDATE_MUTATION, METAFIELD_DEFINITIONS_QUERY } from '../../src/shopify/operations/metafield-definitions.ts';
import { ACCESS_SCOPES_QUERY } from '../../src/shopify/operations/fetch-access-scopes.ts';
import { SHOP_IDENTITY_QUERY } from '../../src/shopify/operations/fetch-shop-identity.ts';
import { RUNNING_BULK_QUERIES_QUERY } from '../../src/shopify/bulk/find-running-bulk-query.ts';
import { CUSTOMER_TAGS_BY_ID_QUERY } from '../../src/shopify/operations/confirm-tag-failures.ts';
import { schemaProblems } from './helpers/admin-schema.ts';

describe('every GraphQL document tiersync sends is valid against the Admin 2026-07 schema', () => {
  const documents: Record<string, string> = {
    'orders bulk query (inner query)': ordersBulkQuery(),
    'orders bulk query, bounded (inner query)': ordersBulkQuery({ since: new Date('2020-01-01T00:00:00Z'), before: new Date('2024-11-25T00:00:00Z') }),
    'customers bulk query (inner query)': customersBulkQuery('tiersync'),
    RUN_BULK_QUERY_MUTATION,
    ACCESS_SCOPES_QUERY,
    BULK_OPERATION_STATUS_QUERY,
    ORDERS_UPDATED_SINCE_QUERY,
    ORDER_LINE_ITEMS_QUERY,
    'customers page': customersPageQuery('tiersync'),
    STAGED_UPLOADS_CREATE_MUTATION,
    RUN_BULK_MUTATION,
    BULK_TAGS_ADD_MUTATION,
    BULK_TAGS_REMOVE_MUTATION,
    BULK_METAFIELDS_SET_MUTATION,
    METAFIELDS_DELETE_MUTATION,
    'tagsAdd × 1': aliasedTagMutation('tagsAdd', 1),
    'tagsAdd × 100': aliasedTagMutation('tagsAdd', 100),
    'tagsRemove × 37': aliasedTagMutation('tagsRemove', 37),
    'metafieldsSet × 1': aliasedMetafieldsSet(1),
    'metafieldsSet × 100': aliasedMetafieldsSet(100),
    SEGMENTS_PAGE_QUERY,
    SEGMENT_CREATE_MUTATION,
    SEGMENT_UPDATE_MUTATION,
    SEGMENT_MEMBER_COUNT_QUERY,
    METAFIELD_DEFINITIONS_QUERY,
    METAFIELD_DEFINITION_CREATE_MUTATION,
    SHOP_IDENTITY_QUERY,
    RUNNING_BULK_QUERIES_QUERY,
    CUSTOMER_TAGS_BY_ID_QUERY,
  };

  for (const [name, document] of Object.entries(documents)) {
    it(name, () => {
      expect(schemaProblems(document)).toEqual([]);
    });
  }

  it('catches a document that is not valid (the check itself works)', () => {
    expect(schemaProblems('{ customers(first: 1) { nodes { email_address } } }')).not.toEqual([]);
    expect(schemaProblems('mutation { tagsAdd(id: "gid://shopify/Customer/1") { userErrors { message } } }')).not.toEqual([]);
  });

  it('a bulk metafieldsSet line coerces to the mutation\'s variable types', () => {
    const line = { metafields: [{ ownerId: 'gid://shopify/Customer/1', namespace: 'tiersync', key: 'ltv', type: 'number_decimal', value: '12.50' }] };
    expect(schemaProblems(BULK_METAFIELDS_SET_MUTATION, line)).toEqual([]);
    expect(schemaProblems(BULK_METAFIELDS_SET_MUTATION, { metafields: [{ key: 'ltv', value: '1' }] })).not.toEqual([]);
  });

  it('the variables the staged upload sends coerce to their declared types', () => {
    const input = [{ resource: 'BULK_MUTATION_VARIABLES', filename: 'a.jsonl', mimeType: 'text/jsonl', httpMethod: 'POST' }];
    expect(schemaProblems(STAGED_UPLOADS_CREATE_MUTATION, { input })).toEqual([]);
    expect(schemaProblems(STAGED_UPLOADS_CREATE_MUTATION, { input: [{ ...input[0], resource: 'JSONL' }] })).not.toEqual([]);
  });
});
