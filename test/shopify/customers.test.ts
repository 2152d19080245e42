import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ShopifyCustomer } from '../../src/shopify/customer-node.ts';
import { fetchCustomers } from '../../src/shopify/operations/fetch-customers.ts';
import { runCustomersBulkQuery } from '../../src/shopify/operations/run-customers-bulk-query.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin, serveFile } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const ann = {
  id: 'gid://shopify/Customer/1',
  defaultEmailAddress: { emailAddress: 'ann@example.com' },
  tags: ['ltv:vip', 'wholesale'],
  updatedAt: '2026-03-04T05:06:07Z',
  statistics: { rfmGroup: 'CHAMPIONS', predictedSpendTier: 'HIGH' },
  mf_tier: { value: 'vip' },
  mf_ltv: { value: '812.40' },
  mf_churn_risk: null,
};
const bob = { id: 'gid://shopify/Customer/2', defaultEmailAddress: null, tags: [], updatedAt: '2025-01-01T00:00:00.000Z', statistics: { rfmGroup: null, predictedSpendTier: null } };
const expected: ShopifyCustomer[] = [
  { id: ann.id, email: 'ann@example.com', tags: ['ltv:vip', 'wholesale'], rfmGroup: 'CHAMPIONS', predictedSpendTier: 'HIGH', updatedAt: Date.UTC(2026, 2, 4, 5, 6, 7), metafields: { tier: 'vip', ltv: '812.40' } },
  { id: bob.id, email: null, tags: [], rfmGroup: null, predictedSpendTier: null, updatedAt: Date.UTC(2025, 0, 1), metafields: {} },
];

describe('fetchCustomers', () => {
  it('reads every page of customers with tags, statistics and tiersync metafields', async () => {
    const admin = fakeAdmin(({ variables }) => ({
      data: {
        customers:
          variables.after === null
            ? { pageInfo: { hasNextPage: true, endCursor: 'C1' }, nodes: [ann] }
            : { pageInfo: { hasNextPage: false, endCursor: 'C2' }, nodes: [bob] },
      },
      extensions: cost(803, 5, 1990),
    }));
    const { client } = testClient();
    const customers: ShopifyCustomer[] = [];
    await expect(fetchCustomers({ client })((customer) => void customers.push(customer))).resolves.toBe(2);
    expect(customers).toEqual(expected);
    expect(admin.requests.map((request) => request.variables.after)).toEqual([null, 'C1']);
    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
  });
});

describe('runCustomersBulkQuery', () => {
  it('reads customers from the bulk result file', async () => {
    const url = serveFile('/bulk/customers.jsonl', [ann, bob]);
    const admin = fakeAdmin(({ query }) =>
      query.includes('bulkOperationRunQuery')
        ? { data: { bulkOperationRunQuery: { bulkOperation: { id: 'gid://shopify/BulkOperation/5', status: 'CREATED' }, userErrors: [] } } }
        : { data: { bulkOperation: { id: 'gid://shopify/BulkOperation/5', status: 'COMPLETED', errorCode: null, objectCount: '2', url, partialDataUrl: null } } },
    );
    const { client } = testClient();
    const customers: ShopifyCustomer[] = [];
    const summary = await runCustomersBulkQuery({ client })({ onCustomer: (customer) => void customers.push(customer) });
    expect(customers).toEqual(expected);
    expect(summary).toEqual({ operationId: 'gid://shopify/BulkOperation/5', customers: 2 });
    expect(schemaProblems(String(admin.requests[1]?.variables.query))).toEqual([]);
  });
});

describe('customer shape', () => {
  it('rejects a customer whose updatedAt is not a date-time, naming the path', async () => {
    fakeAdmin(() => ({ data: { customers: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [{ ...ann, updatedAt: 'yesterday' }] } } }));
    const { client } = testClient();
    await expect(fetchCustomers({ client })(() => undefined)).rejects.toThrow(/data\.customers\.nodes\.0\.updatedAt/);
  });
});
