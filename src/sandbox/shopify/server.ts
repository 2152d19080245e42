/**
 * The Shopify Admin GraphQL emulator (API version 2026-07) on node:http. One straight pipeline
 * per request: fault injection, access token, API version, parse and validate the document
 * against the real Admin schema, calculated cost against the plan's leaky bucket, execute,
 * answer in the Admin API's own format with `extensions.cost`. Sandbox control endpoints live
 * under `/__sandbox/` (stats, state, reset) and are never faulted.
 */
import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { executeSync, getOperationAST, getVariableValues, GraphQLError, Kind, parse, validate } from 'graphql';
import type { DocumentNode, ExecutionResult, FragmentDefinitionNode, OperationDefinitionNode } from 'graphql';
import type { ShopRecord, SynthOrder } from '../../synth/types.ts';
import { seededRandom } from '../../util/seeded-random.ts';
import { createFaultInjector, NO_FAULTS } from '../faults.ts';
import type { Fault, FaultSpec } from '../faults.ts';
import { ADMIN_API_VERSION, adminSchema } from './admin-schema.ts';
import { createAdminRootValue } from './admin-resolvers.ts';
import type { ExecutionState, WriteCounters } from './admin-resolvers.ts';
import { BULK_RESULTS_PATH, createBulkOperations, DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS } from './bulk-operations.ts';
import { createCostBucket, MAX_SINGLE_QUERY_COST } from './cost-bucket.ts';
import type { ShopifyPlan, ThrottleStatus } from './cost-bucket.ts';
import { toShopifyError } from './graphql-errors.ts';
import { actualQueryCost, PageSizeError, requestedQueryCost } from './query-cost.ts';
import type { CostInput } from './query-cost.ts';
import { applyOrderChange, createShopStore } from './shop-store.ts';
import type { OrderChange } from './shop-store.ts';
import { createStagedUploads, parseMultipartForm, STAGED_UPLOADS_PATH } from './staged-uploads.ts';

export interface ShopifySandboxOptions {
  accessToken: string;
  /** e.g. `tiersync-sandbox.myshopify.com`. */
  shopDomain: string;
  records: Iterable<ShopRecord>;
  plan: ShopifyPlan;
  /** Seeds fault injection. */
  seed: number;
  faults?: FaultSpec;
  /** > 1 restores the cost bucket and runs bulk operations that many times faster. Default 1. */
  timeScale?: number;
  now?: () => number;
  maxConcurrentBulkOperations?: number;
}

export interface ShopifySandboxState {
  customers: { id: string; email: string | null; tags: string[] }[];
  orders: {
    id: string;
    customer_id: string | null;
    email: string | null;
    processed_at: string;
    current_total: string;
    cancelled_at: string | null;
    test: boolean;
  }[];
}

export interface ShopifySandboxStats {
  /** Counts by operation (e.g. `query orders`, `mutation tagsAdd`) and HTTP status. */
  requests: Record<string, Record<string, number>>;
  writes: WriteCounters;
  throttled: number;
  /** Sum of the actual query cost of every executed request. */
  cost_consumed: number;
  faults: Record<Fault['kind'], number>;
  throttle_status: ThrottleStatus;
}

export interface ShopifySandbox {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  state(): ShopifySandboxState;
  stats(): ShopifySandboxStats;
  reset(): void;
  /** Test hook: refund and/or cancel an order; its `updatedAt` moves to now. */
  mutateOrder(id: string, change: OrderChange): void;
  /** Test hook: add an order (e.g. a new purchase after a first sync). */
  addOrder(order: SynthOrder): void;
}

const INVALID_TOKEN_BODY = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
const NOT_FOUND_BODY = { errors: 'Not Found' };
const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';
/** Base Retry-After for an injected 429, in seconds, shortened by the time scale. */
const FAULT_RETRY_AFTER_SECONDS = 2;
const MAX_GRAPHQL_BODY_BYTES = 5 * 1024 * 1024;
const MAX_CACHED_DOCUMENTS = 500;
/** Bulk mutation variable files may be up to 100 MB (https://shopify.dev/changelog/faster-bulk-operations). */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const optionsSchema = z.object({
  accessToken: z.string().min(1),
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'a myshopify.com domain, e.g. demo.myshopify.com'),
  plan: z.enum(['standard', 'advanced', 'plus', 'enterprise']),
  seed: z.number().int(),
  timeScale: z.number().positive().optional(),
  maxConcurrentBulkOperations: z.number().int().positive().optional(),
});

/**
 * Creates the emulator; nothing listens until `listen()`.
 *
 * @example
 * const shopify = createShopifySandbox({ accessToken: 'sandbox-token', shopDomain: 'demo.myshopify.com',
 *   records: generateShop({ seed: 1, customers: 100, asOf: new Date() }), plan: 'standard', seed: 1 });
 * const base = await shopify.listen(0); // http://127.0.0.1:PORT
 */
export function createShopifySandbox(options: ShopifySandboxOptions): ShopifySandbox {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) throw new Error(`createShopifySandbox: invalid options: ${checked.error.message}`, { cause: checked.error });
  const now = options.now ?? Date.now;
  const timeScale = options.timeScale ?? 1;
  const schema = adminSchema();
  const store = createShopStore(options.records);
  const bucket = createCostBucket({ plan: options.plan, now, timeScale });
  let baseUrl = '';
  const writes: WriteCounters = { tags_added: 0, tags_removed: 0, metafields_set: 0 };
  const counters = { requests: {} as Record<string, Record<string, number>>, throttled: 0, cost: 0, faults: { '5xx': 0, reset: 0, slow: 0, '429': 0 } };
  const newInjector = () => createFaultInjector(options.faults ?? NO_FAULTS, seededRandom(options.seed));
  let injector = newInjector();

  const uploads = createStagedUploads({ baseUrl: () => baseUrl });
  const rootValue = createAdminRootValue({
    store,
    shopDomain: options.shopDomain,
    now,
    writes,
    bulk: () => bulk,
    uploads: () => uploads,
  });
  const execute = (document: DocumentNode, variables: Record<string, unknown>, state: ExecutionState, operationName?: string): ExecutionResult =>
    executeSync({ schema, document, rootValue, contextValue: state, variableValues: variables, operationName });
  const bulk = createBulkOperations({
    schema,
    execute: (document, variables, state) => execute(document, variables, state),
    uploads,
    baseUrl: () => baseUrl,
    now,
    timeScale,
    maxConcurrent: options.maxConcurrentBulkOperations ?? DEFAULT_MAX_CONCURRENT_BULK_OPERATIONS,
  });

  // Clients send the same few documents over and over with other variables; parsing and
  // validating against the 1 MB Admin schema dominates a request, so results are kept by text.
  const checkedDocuments = new Map<string, { document: DocumentNode } | { errors: ReturnType<typeof toShopifyError>[] }>();
  const checkDocument = (query: string): { document: DocumentNode } | { errors: ReturnType<typeof toShopifyError>[] } => {
    const cached = checkedDocuments.get(query);
    if (cached) return cached;
    let checked: { document: DocumentNode } | { errors: ReturnType<typeof toShopifyError>[] };
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

  const count = (operation: string, status: number): void => {
    const byStatus = (counters.requests[operation] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  };

  const handleGraphQL = async (request: IncomingMessage, response: ServerResponse, version: string): Promise<void> => {
    if (request.headers['x-shopify-access-token'] !== options.accessToken) {
      count('unauthorized', 401);
      return sendJson(response, 401, INVALID_TOKEN_BODY);
    }
    // Shopify serves a retired version with the oldest supported one ("fall forward"); the
    // sandbox has only 2026-07, so older quarterly versions get it and anything else is 404.
    if (!isServedVersion(version)) {
      count('unknown api version', 404);
      return sendJson(response, 404, NOT_FOUND_BODY);
    }
    if (request.method !== 'POST') {
      count('graphql bad method', 405);
      return sendJson(response, 405, NOT_FOUND_BODY);
    }
    const body = await readBody(request, MAX_GRAPHQL_BODY_BYTES);
    const parsedBody = parseGraphQLBody(body, request.headers['content-type']);
    if (!parsedBody) {
      count('graphql bad request', 400);
      return sendJson(response, 400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    const outcome = runDocument(parsedBody.query, parsedBody.variables, parsedBody.operationName);
    count(outcome.label, 200);
    sendJson(response, 200, outcome.body);
  };

  const runDocument = (
    query: string,
    variables: Record<string, unknown>,
    operationName: string | undefined,
  ): { label: string; body: Record<string, unknown> } => {
    const checked = checkDocument(query);
    if ('errors' in checked) return { label: 'invalid document', body: { errors: checked.errors } };
    const { document } = checked;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return { label: 'invalid document', body: { errors: [{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }] } };
    }
    const label = `${operation.operation} ${rootFieldNames(operation).join(',')}`;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { label, body: { errors: coerced.errors.map(toShopifyError) } };
    const costInput: CostInput = { schema, operation, fragments: fragmentsOf(document), variables: coerced.coerced };

    let requested: number;
    try {
      requested = requestedQueryCost(costInput);
    } catch (error) {
      if (!(error instanceof PageSizeError)) throw error;
      const location = error.node.loc ? [{ line: error.node.loc.startToken.line, column: error.node.loc.startToken.column }] : undefined;
      return { label, body: { errors: [{ message: error.message, ...(location ? { locations: location } : {}), path: [...error.path] }] } };
    }
    if (requested > MAX_SINGLE_QUERY_COST) {
      return {
        label,
        body: {
          errors: [
            {
              message:
                `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).\n\n` +
                'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\n' +
                'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
                'See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n',
              extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST, documentation: RATE_LIMITS_DOC },
            },
          ],
        },
      };
    }
    if (!bucket.take(requested)) {
      counters.throttled += 1;
      return {
        label,
        body: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
      };
    }
    const result = execute(document, variables, { bulk: null }, operationName);
    const actual = actualQueryCost(costInput, result.data ?? null);
    bucket.refund(requested - actual);
    counters.cost += actual;
    const body: Record<string, unknown> = {};
    if (result.errors) body.errors = result.errors.map(toShopifyError);
    body.data = result.data ?? null;
    body.extensions = { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() } };
    return { label, body };
  };

  const handleUpload = async (request: IncomingMessage, response: ServerResponse, pathKey: string): Promise<void> => {
    const body = await readBody(request, MAX_UPLOAD_BYTES);
    let key: string;
    let content: Buffer;
    if (request.method === 'PUT' && pathKey !== '') {
      key = decodeURIComponent(pathKey);
      content = body;
    } else if (request.method === 'POST') {
      let form: Map<string, Buffer>;
      try {
        form = parseMultipartForm(body, request.headers['content-type'] ?? '');
      } catch (error) {
        count('staged upload', 400);
        return sendXml(response, 400, 'InvalidArgument', (error as Error).message);
      }
      key = form.get('key')?.toString('utf8') ?? '';
      content = form.get('file') ?? Buffer.alloc(0);
    } else {
      count('staged upload', 405);
      return sendXml(response, 405, 'MethodNotAllowed', 'Use POST (multipart form) or PUT.');
    }
    if (!uploads.receive(key, content)) {
      count('staged upload', 403);
      return sendXml(response, 403, 'AccessDenied', `No staged upload target was created for key "${key}".`);
    }
    count('staged upload', 201);
    response.writeHead(201, { 'content-type': 'application/xml' });
    response.end(`<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>${baseUrl}${STAGED_UPLOADS_PATH}/${encodeURIComponent(key)}</Location><Key>${escapeXml(key)}</Key></PostResponse>`);
  };

  const handleBulkResult = (response: ServerResponse, numericId: string): void => {
    const file = bulk.resultFile(numericId);
    if (!file) {
      count('bulk result', 404);
      return sendJson(response, 404, NOT_FOUND_BODY);
    }
    count('bulk result', 200);
    response.writeHead(200, { 'content-type': 'application/jsonl' });
    createReadStream(file).pipe(response);
  };

  const applyFault = async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const fault = injector.next();
    if (!fault) return false;
    counters.faults[fault.kind] += 1;
    switch (fault.kind) {
      case 'reset':
        request.socket.destroy();
        return true;
      case '5xx': {
        const status = counters.faults['5xx'] % 2 === 1 ? 500 : 503;
        count('fault', status);
        sendJson(response, status, { errors: status === 500 ? 'Internal Server Error' : 'Service Unavailable' });
        return true;
      }
      case '429':
        count('fault', 429);
        response.setHeader('retry-after', String(Number((FAULT_RETRY_AFTER_SECONDS / timeScale).toFixed(3))));
        sendJson(response, 429, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } }] });
        return true;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return false;
    }
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://sandbox');
    const path = url.pathname;
    if (path.startsWith('/__sandbox/')) return handleControl(request, response, path);
    if (await applyFault(request, response)) return;
    const graphql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (graphql) return handleGraphQL(request, response, graphql[1] as string);
    const bulkResult = new RegExp(`^${BULK_RESULTS_PATH}/(\\d+)\\.jsonl$`).exec(path);
    if (bulkResult && request.method === 'GET') return handleBulkResult(response, bulkResult[1] as string);
    if (path === STAGED_UPLOADS_PATH || path.startsWith(`${STAGED_UPLOADS_PATH}/`)) {
      return handleUpload(request, response, path.slice(STAGED_UPLOADS_PATH.length + 1));
    }
    count('not found', 404);
    sendJson(response, 404, NOT_FOUND_BODY);
  };

  const handleControl = (request: IncomingMessage, response: ServerResponse, path: string): void => {
    if (path === '/__sandbox/stats' && request.method === 'GET') return sendJson(response, 200, sandbox.stats());
    if (path === '/__sandbox/state' && request.method === 'GET') return sendJson(response, 200, sandbox.state());
    if (path === '/__sandbox/reset' && request.method === 'POST') {
      sandbox.reset();
      return sendJson(response, 200, { reset: true });
    }
    sendJson(response, 404, NOT_FOUND_BODY);
  };

  let server: Server | undefined;

  const sandbox: ShopifySandbox = {
    listen(port = 0, host = '127.0.0.1') {
      const created = createServer((request, response) => {
        route(request, response).catch((error: unknown) => {
          if (response.headersSent) {
            response.destroy(error as Error);
            return;
          }
          const tooLarge = error instanceof BodyTooLargeError;
          count(tooLarge ? 'request too large' : 'sandbox failure', tooLarge ? 413 : 500);
          sendJson(response, tooLarge ? 413 : 500, { errors: tooLarge ? 'Request Entity Too Large' : `sandbox failure: ${(error as Error).message}` });
        });
      });
      server = created;
      return new Promise((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => {
          const address = created.address() as AddressInfo;
          baseUrl = `http://${host}:${address.port}`;
          resolve(baseUrl);
        });
      });
    },
    async close() {
      bulk.close();
      const current = server;
      server = undefined;
      if (!current) return;
      await new Promise<void>((resolve, reject) => {
        current.close((error) => (error ? reject(error) : resolve()));
        current.closeAllConnections();
      });
    },
    state() {
      const customers = [...store.customers()].map((row) => ({ id: row.id, email: row.email, tags: [...row.tags] }));
      const orders = [...store.orders()].map((row) => ({
        id: row.id,
        customer_id: row.customerId,
        email: row.email,
        processed_at: row.processedAt,
        current_total: row.currentTotalPrice,
        cancelled_at: row.cancelledAt,
        test: row.test,
      }));
      const byId = (a: { id: string }, b: { id: string }) => (BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0);
      return { customers: customers.sort(byId), orders: orders.sort(byId) };
    },
    stats() {
      return {
        requests: structuredClone(counters.requests),
        writes: { ...writes },
        throttled: counters.throttled,
        cost_consumed: counters.cost,
        faults: { ...counters.faults },
        throttle_status: bucket.status(),
      };
    },
    reset() {
      store.reset();
      bucket.reset();
      bulk.reset();
      uploads.reset();
      injector = newInjector();
      counters.requests = {};
      counters.throttled = 0;
      counters.cost = 0;
      counters.faults = { '5xx': 0, reset: 0, slow: 0, '429': 0 };
      writes.tags_added = 0;
      writes.tags_removed = 0;
      writes.metafields_set = 0;
    },
    mutateOrder(id, change) {
      const order = store.order(id);
      if (!order) throw new Error(`shopify sandbox: no order ${id}`);
      store.putOrder(applyOrderChange(order, change, new Date(now()).toISOString()));
    },
    addOrder(order) {
      if (store.order(order.id)) throw new Error(`shopify sandbox: order ${order.id} already exists`);
      store.putOrder(order);
    },
  };
  return sandbox;
}

function isServedVersion(version: string): boolean {
  const match = /^(\d{4})-(01|04|07|10)$/.exec(version);
  return match !== null && version <= ADMIN_API_VERSION;
}

/** Distinct root field names, so that 50 aliased `tagsAdd` count as `mutation tagsAdd`. */
function rootFieldNames(operation: OperationDefinitionNode): string[] {
  return [...new Set(operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '…')))];
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

const graphqlBodySchema = z.object({
  query: z.string().trim().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

/** Accepts `application/json` ({ query, variables, operationName }) and `application/graphql` (the bare document). */
function parseGraphQLBody(body: Buffer, contentType: string | undefined): { query: string; variables: Record<string, unknown>; operationName: string | undefined } | null {
  const text = body.toString('utf8');
  if (contentType?.startsWith('application/graphql')) return text.trim() ? { query: text, variables: {}, operationName: undefined } : null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = graphqlBodySchema.safeParse(json);
  if (!parsed.success) return null;
  return { query: parsed.data.query, variables: parsed.data.variables ?? {}, operationName: parsed.data.operationName || undefined };
}

class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`request body over ${limit} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'x-shopify-api-version': ADMIN_API_VERSION });
  response.end(text);
}

function sendXml(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

