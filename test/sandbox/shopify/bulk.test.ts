import { describe, expect, it } from 'vitest';
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../../src/core/money.ts';
import { ordersBulkQuery } from '../../../src/shopify/documents/orders-bulk-query.ts';
import { generateShop } from '../../../src/synth/generate-shop.ts';
import type { SynthOrder } from '../../../src/synth/types.ts';
import { assertValidAdminDocument, shopifyGraphQL, TEST_AS_OF, useSandbox } from '../../helpers/sandbox.ts';

const RUN_QUERY = `mutation($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: false) {
  bulkOperation { id status } userErrors { field message code } } }`;
const STAGED_UPLOADS = `mutation($input: [StagedUploadInput!]!) { stagedUploadsCreate(input: $input) {
  stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`;
const RUN_MUTATION = `mutation($mutation: String!, $path: String!) { bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $path) {
  bulkOperation { id status type } userErrors { field message code } } }`;
const TAGS_ADD_LINE = 'mutation call($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }';

type Sandbox = ReturnType<ReturnType<typeof useSandbox>>;

/**
 * Polls until the operation ends. The sandbox advances bulk jobs on real timers (1000× faster
 * than Shopify), so this waits real time; no attempt cap of its own, so a loaded machine makes
 * it slower, not wrong (vitest's test timeout bounds it).
 */
async function waitForCompletion(sandbox: Sandbox, id: string): Promise<{ status: string; objectCount: string; rootObjectCount: string; url: string | null }> {
  for (;;) {
    const answer = await shopifyGraphQL(sandbox, 'query($id: ID!) { bulkOperation(id: $id) { status objectCount rootObjectCount url } }', { id });
    const operation = answer.body.data.bulkOperation;
    if (operation.status === 'COMPLETED' || operation.status === 'FAILED') return operation;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function jsonl(url: string): Promise<Record<string, any>[]> {
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
}

describe('Shopify sandbox: bulk operations', () => {
  const sandbox = useSandbox();
  const since = new Date('2024-11-01T00:00:00Z');

  it('exports the orders bulk query as JSONL that matches the generated shop (counts and per-customer sums)', async () => {
    const query = ordersBulkQuery({ since });
    assertValidAdminDocument(query);
    const started = await shopifyGraphQL(sandbox(), RUN_QUERY, { query });
    expect(started.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
    expect(started.body.data.bulkOperationRunQuery.bulkOperation.status).toBe('CREATED');
    // Starting a bulk operation costs the mutation's 10 points and nothing more.
    expect(started.body.extensions.cost.actualQueryCost).toBe(10);
    const done = await waitForCompletion(sandbox(), started.body.data.bulkOperationRunQuery.bulkOperation.id);
    expect(done.status).toBe('COMPLETED');

    const expectedOrders: SynthOrder[] = [];
    for (const record of generateShop({ seed: 1, customers: 200, asOf: TEST_AS_OF })) {
      const orders = record.kind === 'customer' ? record.orders : [record.order];
      expectedOrders.push(...orders.filter((order) => Date.parse(order.processedAt) >= since.getTime()));
    }
    const expectedLines = expectedOrders.reduce((sum, order) => sum + order.lines.length, 0);
    const lines = await jsonl(done.url as string);
    const orderLines = lines.filter((line) => line.id.startsWith('gid://shopify/Order/'));
    const itemLines = lines.filter((line) => line.id.startsWith('gid://shopify/LineItem/'));
    expect(orderLines).toHaveLength(expectedOrders.length);
    expect(itemLines).toHaveLength(expectedLines);
    expect(done.objectCount).toBe(String(expectedOrders.length + expectedLines));
    expect(done.rootObjectCount).toBe(String(expectedOrders.length));

    // Ungrouped (the default `scattered`): every line item points at an order of the file, but not
    // necessarily one that came before it.
    const orderIds = new Set(orderLines.map((line) => line.id));
    expect(itemLines.every((line) => orderIds.has(line.__parentId))).toBe(true);
    const seenOrders = new Set<string>();
    let beforeTheirOrder = 0;
    for (const line of lines) {
      if (line.id.startsWith('gid://shopify/Order/')) seenOrders.add(line.id);
      else if (!seenOrders.has(line.__parentId)) beforeTheirOrder += 1;
    }
    expect(beforeTheirOrder).toBeGreaterThan(0);
    const sums = (entries: [string | null, string][]) => {
      const totals = new Map<string, number>();
      for (const [customer, amount] of entries) {
        if (customer === null) continue;
        totals.set(customer, (totals.get(customer) ?? 0) + (parseMoneyToMinorUnits(amount, 'USD') as number));
      }
      return new Map([...totals].map(([customer, minor]) => [customer, formatMinorUnits(minor, 'USD')]));
    };
    expect(sums(orderLines.map((line) => [line.customer?.id.replace('gid://shopify/Customer/', '') ?? null, line.currentTotalPriceSet.shopMoney.amount]))).toEqual(
      sums(expectedOrders.map((order) => [order.customerId, order.currentTotalPrice])),
    );
    expect(orderLines[0]).toEqual({
      id: expect.any(String),
      name: expect.stringMatching(/^#\d+$/),
      email: expect.toSatisfy((value: unknown) => value === null || typeof value === 'string'),
      processedAt: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      cancelledAt: expect.toSatisfy((value: unknown) => value === null || typeof value === 'string'),
      test: expect.any(Boolean),
      currentTotalPriceSet: { shopMoney: { amount: expect.any(String), currencyCode: 'USD' } },
      customer: expect.toSatisfy((value: unknown) => value === null || typeof value === 'object'),
    });
  });

  it('reports the latest query operation through currentBulkOperation', async () => {
    const query = '{ customers { edges { node { id tags } } } }';
    assertValidAdminDocument(query);
    const started = await shopifyGraphQL(sandbox(), RUN_QUERY, { query });
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id;
    const current = await shopifyGraphQL(sandbox(), '{ currentBulkOperation(type: QUERY) { id type } }');
    expect(current.body.data.currentBulkOperation).toEqual({ id, type: 'QUERY' });
    const done = await waitForCompletion(sandbox(), id);
    expect(done.objectCount).toBe('200');
  });

  it('refuses an invalid bulk query with a userError', async () => {
    const missing = await shopifyGraphQL(sandbox(), RUN_QUERY, { query: '{ orders { edges { node { id colour } } } }' });
    expect(missing.body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(missing.body.data.bulkOperationRunQuery.userErrors).toEqual([
      { field: ['query'], message: "Invalid bulk query: Field 'colour' doesn't exist on type 'Order'", code: 'INVALID' },
    ]);
    const withoutParentId = '{ orders { edges { node { name lineItems { edges { node { id } } } } } } }';
    assertValidAdminDocument(withoutParentId);
    const noId = await shopifyGraphQL(sandbox(), RUN_QUERY, { query: withoutParentId });
    expect(noId.body.data.bulkOperationRunQuery.userErrors[0].message).toMatch(/must select the 'id' field/);
  });

  it('stages a JSONL of variables, runs tagsAdd once per line and writes one result line per input line', async () => {
    sandbox().shopify.reset();
    const customers = sandbox().shopify.state().customers.slice(0, 3);
    const variables = [
      { id: `gid://shopify/Customer/${customers[0]!.id}`, tags: ['ltv:vip'] },
      { id: `gid://shopify/Customer/${customers[1]!.id}`, tags: ['ltv:champion', 'rfm:active'] },
      { id: 'gid://shopify/Customer/1', tags: ['ltv:new'] },
    ];
    const staged = await shopifyGraphQL(sandbox(), STAGED_UPLOADS, {
      input: [{ resource: 'BULK_MUTATION_VARIABLES', filename: 'tags.jsonl', mimeType: 'text/jsonl', httpMethod: 'POST' }],
    });
    const target = staged.body.data.stagedUploadsCreate.stagedTargets[0];
    const form = new FormData();
    for (const parameter of target.parameters) form.append(parameter.name, parameter.value);
    form.append('file', new Blob([variables.map((line) => JSON.stringify(line)).join('\n')]), 'tags.jsonl');
    const upload = await fetch(target.url, { method: 'POST', body: form });
    expect(upload.status).toBe(201);

    const path = target.parameters.find((parameter: { name: string }) => parameter.name === 'key').value;
    assertValidAdminDocument(TAGS_ADD_LINE);
    const started = await shopifyGraphQL(sandbox(), RUN_MUTATION, { mutation: TAGS_ADD_LINE, path });
    expect(started.body.data.bulkOperationRunMutation.userErrors).toEqual([]);
    expect(started.body.data.bulkOperationRunMutation.bulkOperation.type).toBe('MUTATION');
    const done = await waitForCompletion(sandbox(), started.body.data.bulkOperationRunMutation.bulkOperation.id);
    expect(done.objectCount).toBe('3');
    expect(await jsonl(done.url as string)).toEqual([
      { data: { tagsAdd: { node: { id: variables[0]!.id }, userErrors: [] } }, __lineNumber: 0 },
      { data: { tagsAdd: { node: { id: variables[1]!.id }, userErrors: [] } }, __lineNumber: 1 },
      { data: { tagsAdd: { node: null, userErrors: [{ field: ['id'], message: 'Invalid id' }] } }, __lineNumber: 2 },
    ]);
    const state = sandbox().shopify.state().customers;
    expect(state.find((customer) => customer.id === customers[1]!.id)?.tags).toEqual(expect.arrayContaining(['ltv:champion', 'rfm:active']));
    expect(sandbox().shopify.stats().writes.tags_added).toBe(3);
    // The staged file is freed once the operation that read it has finished.
    const again = await shopifyGraphQL(sandbox(), RUN_MUTATION, { mutation: TAGS_ADD_LINE, path });
    expect(again.body.data.bulkOperationRunMutation.userErrors[0]).toMatchObject({ field: ['stagedUploadPath'], code: 'NO_SUCH_FILE' });
  });

  it('refuses a bulk mutation whose staged file does not exist', async () => {
    const answer = await shopifyGraphQL(sandbox(), RUN_MUTATION, { mutation: TAGS_ADD_LINE, path: 'tmp/nothing/here.jsonl' });
    expect(answer.body.data.bulkOperationRunMutation.userErrors[0]).toMatchObject({ field: ['stagedUploadPath'], code: 'NO_SUCH_FILE' });
  });
});

describe('Shopify sandbox: bulk operation concurrency', () => {
  // Real time: a slow start keeps the first operations running while more are requested.
  const sandbox = useSandbox({ timeScale: 0.01 });

  it('runs at most five bulk queries at once per shop (API 2026-01 and later) and refuses the sixth', async () => {
    const query = '{ customers { edges { node { id } } } }';
    assertValidAdminDocument(query);
    const answers = [];
    for (let index = 0; index < 6; index += 1) answers.push(await shopifyGraphQL(sandbox(), RUN_QUERY, { query }));
    expect(answers.slice(0, 5).map((answer) => answer.body.data.bulkOperationRunQuery.bulkOperation.status)).toEqual(Array(5).fill('CREATED'));
    expect(answers[5]!.body.data.bulkOperationRunQuery).toEqual({
      bulkOperation: null,
      userErrors: [{ field: null, message: 'A maximum of 5 bulk query operations can run at the same time for this app and shop. Please try again later.', code: 'LIMIT_REACHED' }],
    });
  });
});
