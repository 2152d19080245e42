import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BULK_TAGS_ADD_MUTATION, runBulkTagMutation } from '../../src/shopify/operations/run-bulk-tag-mutation.ts';
import { schemaProblems } from './helpers/admin-schema.ts';
import { fakeAdmin, serveFile } from './helpers/fake-admin.ts';
import { cost, testClient } from './helpers/test-client.ts';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

const BULK_ID = 'gid://shopify/BulkOperation/9';
const KEY = 'tmp/shop/bulk/1234/tiersync-bulk-variables.jsonl';
const customer = (n: number) => `gid://shopify/Customer/${n}`;

/** Customer 2 was deleted: `nodes(ids:)` answers null for it. */
function bulkMutationAdmin(resultUrl: string) {
  return fakeAdmin(({ query, variables }) => {
    if (query.includes('CustomerTagsById')) {
      return { data: { nodes: (variables.ids as string[]).map((id) => (id === customer(2) ? null : { id, tags: [] })) }, extensions: cost(2, 2, 1990) };
    }
    if (query.includes('stagedUploadsCreate')) {
      return {
        data: {
          stagedUploadsCreate: {
            stagedTargets: [
              {
                url: 'https://storage.example.com/upload',
                resourceUrl: null,
                parameters: [
                  { name: 'Content-Type', value: 'text/jsonl' },
                  { name: 'key', value: KEY },
                  { name: 'policy', value: 'signed-policy' },
                ],
              },
            ],
            userErrors: [],
          },
        },
        extensions: cost(10, 10, 1990),
      };
    }
    if (query.includes('bulkOperationRunMutation')) {
      expect(variables.stagedUploadPath).toBe(KEY);
      return { data: { bulkOperationRunMutation: { bulkOperation: { id: BULK_ID, status: 'CREATED' }, userErrors: [] } }, extensions: cost(10, 10, 1980) };
    }
    return {
      data: { bulkOperation: { id: BULK_ID, status: 'COMPLETED', errorCode: null, objectCount: '3', url: resultUrl, partialDataUrl: null } },
      extensions: cost(1, 1, 1980),
    };
  });
}

describe('runBulkTagMutation', () => {
  it('uploads the variables as JSONL, runs the bulk mutation and maps each result line back to its customer', async () => {
    let uploaded = '';
    nock('https://storage.example.com')
      .post('/upload')
      .reply(function (_uri, body) {
        uploaded = String(body);
        return [201, ''];
      });
    const resultUrl = serveFile('/bulk/9.jsonl', [
      { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 2 },
      { data: { tagsAdd: { userErrors: [{ field: ['id'], message: 'Customer does not exist' }] } }, __lineNumber: 1 },
      { data: { tagsAdd: { userErrors: [] } }, __lineNumber: 0 },
    ]);
    const admin = bulkMutationAdmin(resultUrl);
    const { client } = testClient();
    const changes = [1, 2, 3].map((n) => ({ customerId: customer(n), tags: ['ltv:vip'] }));
    const ids: string[] = [];
    const summary = await runBulkTagMutation({ client })({ mutation: 'tagsAdd', changes, onOperationId: (id) => void ids.push(id) });

    expect(ids).toEqual([BULK_ID]);
    expect(summary.results.map((result) => [result.customerId, result.outcome])).toEqual([
      [customer(1), 'applied'],
      [customer(2), 'not-found'],
      [customer(3), 'applied'],
    ]);
    // The multipart form carries the target's parameters, then the JSONL file, one change a line.
    expect(uploaded).toContain('name="key"');
    expect(uploaded).toContain(KEY);
    expect(uploaded).toContain('name="policy"');
    const jsonl = changes.map((change) => JSON.stringify({ id: change.customerId, tags: change.tags })).join('\n');
    expect(uploaded).toContain(jsonl);
    expect(uploaded.indexOf('name="policy"')).toBeLessThan(uploaded.indexOf('name="file"'));

    for (const request of admin.requests) expect(schemaProblems(request.query, request.variables)).toEqual([]);
    const run = admin.requests.find((request) => request.query.includes('bulkOperationRunMutation'));
    expect(run?.variables.mutation).toBe(BULK_TAGS_ADD_MUTATION);
    for (const change of changes) {
      expect(schemaProblems(BULK_TAGS_ADD_MUTATION, { id: change.customerId, tags: change.tags })).toEqual([]);
    }
  });

  it('resumes a known bulk mutation without uploading again; a change with no result line is reported', async () => {
    const resultUrl = serveFile('/bulk/9-resumed.jsonl', [{ data: { tagsRemove: { userErrors: [] } }, __lineNumber: 0 }]);
    const admin = bulkMutationAdmin(resultUrl);
    const { client } = testClient();
    const changes = [1, 2].map((n) => ({ customerId: customer(n), tags: ['rfm:cold'] }));
    const summary = await runBulkTagMutation({ client })({ mutation: 'tagsRemove', changes, resumeOperationId: BULK_ID });
    // The status poll, then the look at the customer whose change has no result line.
    expect(admin.requests.map((request) => request.query.includes('bulkOperation(id'))).toEqual([true, false]);
    // Customer 2 has no result line and nodes(ids:) no longer knows it: deleted.
    expect(summary.results.map((result) => result.outcome)).toEqual(['applied', 'not-found']);
    expect(summary.results[1]?.messages).toEqual(['no result line for this input']);
  });
});
