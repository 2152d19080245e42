import type { z } from 'zod';
import { createCostScheduler, type CostScheduler } from '../http/cost-scheduler.ts';
import { ApiError, AuthError, ResponseShapeError, RetriableError, ThrottledError } from '../errors.ts';
import { describeError } from '../http/describe-error.ts';
import { redact } from '../http/redact.ts';
import { withRetry } from '../http/retry.ts';
import { adminGraphqlUrl } from './api-version.ts';
import { createFileTransfer, type FileTransfer } from './file-transfer.ts';
import { graphqlEnvelopeSchema, parseShape, type GraphqlEnvelope, type GraphqlError } from './graphql-envelope.ts';

/*
 * Why not `@shopify/shopify-api`'s GraphqlClient: it builds its endpoint through
 * `@shopify/graphql-client`'s validateDomainAndGetStoreUrl, which forces `https:` on the store
 * domain, so it cannot reach the sandbox at `http://127.0.0.1:PORT` (TIERSYNC_SHOPIFY_URL); and it
 * throws on GraphQL errors without the `extensions.cost` the scheduler needs. This small fetch
 * transport sends the same request (POST JSON, `X-Shopify-Access-Token`) to the same path.
 */

export interface ShopifyLogger {
  warn(message: string): void;
}

export interface ShopifyClientOptions {
  /** `acme` or `acme.myshopify.com` (SHOPIFY_SHOP). */
  readonly shop: string;
  /** Admin API access token of the custom app (SHOPIFY_ADMIN_TOKEN). */
  readonly accessToken: string;
  /** Replaces `https://{shop}` (TIERSYNC_SHOPIFY_URL), e.g. the sandbox's `http://127.0.0.1:PORT`. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  /** Epoch ms. */
  readonly now: () => number;
  readonly random: () => number;
  readonly logger?: ShopifyLogger;
  /** Attempts per request, the first included (default 8). */
  readonly maxAttempts?: number;
  /** Per-request timeout in ms (default 60 s). */
  readonly timeoutMs?: number;
}

export interface GraphqlRequest<T> {
  /** Names the request in errors and logs, e.g. `orders page`. */
  readonly operation: string;
  readonly document: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  /** Requested cost by Shopify's published rules; replaced by the cost the API reports once seen. */
  readonly estimatedCost: number;
  /** Shape of `data` this operation relies on. */
  readonly data: z.ZodType<T>;
  /**
   * The request starts something that must not start twice (a bulk operation): only throttles,
   * which Shopify answers without running the document, are retried; a failure after which it
   * may have run throws `OutcomeUnknownError` for the caller to find out.
   */
  readonly atMostOnce?: boolean;
}

/** A document whose requested cost is over the single-query maximum (MAX_COST_EXCEEDED): send a smaller page. */
export class MaxCostExceededError extends ApiError {
  override name = 'MaxCostExceededError';
}

/** A request that may or may not have run (its answer was lost); the caller must look before sending it again. */
export class OutcomeUnknownError extends ApiError {
  override name = 'OutcomeUnknownError';
}

export interface ShopifyClientStats {
  /** GraphQL requests sent, retries included. */
  readonly requests: number;
  /** GraphQL responses that were THROTTLED (or HTTP 429). */
  readonly throttled: number;
  /** Retries of any retriable failure, throttles and file transfers included. */
  readonly retries: number;
  /** Requested cost points of the requests sent. */
  readonly pointsRequested: number;
}

export interface ShopifyClient {
  /** Sends one GraphQL document under the cost scheduler, retrying retriable failures. */
  request<T>(request: GraphqlRequest<T>): Promise<T>;
  /**
   * Like `request`, for a document of aliased fields (`t0: tagsAdd(…) t1: …`): an error whose
   * path names one alias (its field null) fails that alias only and comes back in `aliasErrors`
   * (alias → messages) with the rest of the data; any other error throws as in `request`.
   */
  requestAliased<T>(request: GraphqlRequest<T>): Promise<{ data: T; aliasErrors: ReadonlyMap<string, string[]> }>;
  /** Downloads and uploads of bulk-operation files, with the same retry settings. */
  readonly files: FileTransfer;
  readonly scheduler: CostScheduler;
  readonly sleep: (ms: number) => Promise<void>;
  stats(): ShopifyClientStats;
}

/**
 * Creates the Admin GraphQL transport of one shop: a cost-aware scheduler in front, retries
 * with backoff behind, and every failure mapped onto the error tree of src/errors.ts.
 *
 * @example
 * const client = createShopifyClient({ shop: 'acme', accessToken: process.env.SHOPIFY_ADMIN_TOKEN!,
 *   sleep, now: Date.now, random: Math.random });
 * const data = await client.request({ operation: 'shop', document: '{ shop { id } }',
 *   estimatedCost: 1, data: z.object({ shop: z.object({ id: z.string() }) }) });
 */
export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const fetchImpl = options.fetch ?? fetch;
  const url = adminGraphqlUrl(options.shop, options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const scheduler = createCostScheduler({ now: options.now, sleep: options.sleep });
  const learnedCost = new Map<string, number>();
  const counters = { requests: 0, throttled: 0, retries: 0, pointsRequested: 0 };
  const retry = {
    maxAttempts: options.maxAttempts ?? 8,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    random: options.random,
    sleep: options.sleep,
    onRetry(error: RetriableError, attempt: number, delayMs: number) {
      counters.retries++;
      options.logger?.warn(`${error.message}; retry ${attempt} in ${delayMs} ms`);
    },
  };

  async function sendOnce<T>(request: GraphqlRequest<T>, aliased = false): Promise<{ data: T; aliasErrors: ReadonlyMap<string, string[]> }> {
    const cost = learnedCost.get(request.document) ?? request.estimatedCost;
    await scheduler.acquire(cost);
    counters.requests++;
    counters.pointsRequested += cost;
    const envelope = await post(request).catch((error: unknown) => {
      if (error instanceof ThrottledError) counters.throttled++;
      throw error;
    });
    const reported = envelope.extensions?.cost;
    if (reported) {
      scheduler.observe(reported.throttleStatus, reported.actualQueryCost);
      learnedCost.set(request.document, reported.requestedQueryCost);
    }
    let aliasErrors: ReadonlyMap<string, string[]> = new Map();
    if (envelope.errors && envelope.errors.length > 0) {
      const pinned = aliased ? errorsByAlias(envelope) : null;
      if (!pinned) {
        const error = mapGraphqlErrors(request.operation, envelope);
        if (error instanceof ThrottledError) counters.throttled++;
        throw error;
      }
      aliasErrors = pinned;
    }
    if (envelope.data === undefined || envelope.data === null) {
      throw new ResponseShapeError('response has no data and no errors', { service: 'shopify', operation: request.operation });
    }
    return { data: parseShape(request.data, envelope.data, request.operation), aliasErrors };
  }

  async function post(request: GraphqlRequest<unknown>): Promise<GraphqlEnvelope> {
    const details = { service: 'shopify' as const, operation: request.operation };
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'X-Shopify-Access-Token': options.accessToken,
        },
        body: JSON.stringify({ query: request.document, variables: request.variables ?? {} }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new RetriableError(`request to ${url} failed: ${describeError(error, [options.accessToken])}`, { ...details, cause: error });
    }
    const text = await readBody(response, details);
    if (response.status === 401 || response.status === 403) {
      // read_all_orders: only the last 60 days of orders are readable without it (Order object docs).
      throw new AuthError(
        `Shopify refused the Admin API access token (HTTP ${response.status}): check SHOPIFY_ADMIN_TOKEN and that the app has the read_orders, read_all_orders, read_customers and write_customers scopes`,
        { ...details, status: response.status },
      );
    }
    const body = parseJson(text);
    if (response.status === 429) {
      const envelope = graphqlEnvelopeSchema.safeParse(body);
      const throttle = envelope.success ? throttledWait(envelope.data) : null;
      const retryAfterMs = throttle ?? retryAfterHeaderMs(response.headers.get('retry-after'));
      if (envelope.success && envelope.data.extensions?.cost) scheduler.observe(envelope.data.extensions.cost.throttleStatus, null);
      throw new ThrottledError(`throttled (HTTP 429), waiting ${retryAfterMs} ms`, { ...details, status: 429 }, retryAfterMs);
    }
    if (response.status >= 500) {
      throw new RetriableError(`HTTP ${response.status} from ${url}`, { ...details, status: response.status });
    }
    if (response.status < 200 || response.status >= 300) {
      throw new ApiError(`HTTP ${response.status} from ${url}: ${redact(text.slice(0, 300), [options.accessToken])}`, {
        ...details,
        status: response.status,
      });
    }
    if (body === undefined) {
      throw new ResponseShapeError(`response body is not JSON: ${redact(text.slice(0, 120), [options.accessToken])}`, details);
    }
    return parseShape(graphqlEnvelopeSchema, body, request.operation, 'body');
  }

  return {
    async request<T>(request: GraphqlRequest<T>): Promise<T> {
      if (!request.atMostOnce) return (await withRetry(() => sendOnce(request), retry)).data;
      const { data } = await withRetry(
        () =>
          sendOnce(request).catch((error: unknown) => {
            if (error instanceof RetriableError && !(error instanceof ThrottledError)) {
              throw new OutcomeUnknownError(`the answer was lost, the request may have run (${error.message})`, { service: 'shopify', operation: request.operation, cause: error });
            }
            throw error;
          }),
        retry,
      );
      return data;
    },
    requestAliased<T>(request: GraphqlRequest<T>) {
      return withRetry(() => sendOnce(request, true), retry);
    },
    files: createFileTransfer({ fetch: fetchImpl, retry, timeoutMs }),
    scheduler,
    sleep: options.sleep,
    stats: () => ({ ...counters }),
  };
}

/**
 * THROTTLED → ThrottledError after (requested − available) / restoreRate seconds; access
 * errors → AuthError; internal errors → RetriableError; anything else (validation, cost above
 * the single-query maximum) → ApiError naming the operation.
 */
function mapGraphqlErrors(operation: string, envelope: GraphqlEnvelope): ApiError {
  const errors = envelope.errors ?? [];
  const details = { service: 'shopify' as const, operation };
  const summary = errors.map(describeGraphqlError).join('; ');
  const codes = new Set(errors.map((error) => error.extensions?.code));
  if (codes.has('THROTTLED')) {
    const waitMs = throttledWait(envelope) ?? 1000;
    return new ThrottledError(`THROTTLED, waiting ${waitMs} ms`, details, waitMs);
  }
  if (codes.has('ACCESS_DENIED')) {
    return new AuthError(`access denied (${summary}): check the app's access scopes for SHOPIFY_ADMIN_TOKEN`, details);
  }
  if (codes.has('INTERNAL_SERVER_ERROR')) return new RetriableError(`internal error: ${summary}`, details);
  if (codes.has('MAX_COST_EXCEEDED')) return new MaxCostExceededError(`GraphQL errors: ${summary}`, details);
  return new ApiError(`GraphQL errors: ${summary}`, details);
}

/**
 * The errors of an aliased document by alias, when every one names an alias whose field came
 * back null and none is a request-wide condition (throttling, cost, access); otherwise null.
 */
function errorsByAlias(envelope: GraphqlEnvelope): Map<string, string[]> | null {
  const data = envelope.data;
  if (data === null || data === undefined || typeof data !== 'object') return null;
  const byAlias = new Map<string, string[]>();
  for (const error of envelope.errors ?? []) {
    const alias = error.path?.[0];
    const code = error.extensions?.code;
    if (typeof alias !== 'string' || (data as Record<string, unknown>)[alias] !== null) return null;
    if (code === 'THROTTLED' || code === 'MAX_COST_EXCEEDED' || code === 'ACCESS_DENIED' || code === 'INTERNAL_SERVER_ERROR') return null;
    byAlias.set(alias, [...(byAlias.get(alias) ?? []), `${error.message}${code ? ` [${String(code)}]` : ''}`]);
  }
  return byAlias;
}

function throttledWait(envelope: GraphqlEnvelope): number | null {
  const cost = envelope.extensions?.cost;
  if (!cost || cost.throttleStatus.restoreRate <= 0) return null;
  const missing = cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable;
  return Math.max(0, Math.ceil((missing / cost.throttleStatus.restoreRate) * 1000));
}

function describeGraphqlError(error: GraphqlError): string {
  const code = error.extensions?.code ? ` [${error.extensions.code}]` : '';
  const path = error.path ? ` at ${error.path.join('.')}` : '';
  return `${error.message}${code}${path}`;
}

function retryAfterHeaderMs(header: string | null): number {
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

async function readBody(response: Response, details: { service: 'shopify'; operation: string }): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw new RetriableError(`response body was cut off (HTTP ${response.status})`, { ...details, cause: error });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
