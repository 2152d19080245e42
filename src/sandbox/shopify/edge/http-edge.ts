/**
 * The HTTP edge of the Shopify emulator: routing, sandbox control endpoints, injected faults,
 * the access token, the API version and the request body, before the GraphQL pipeline runs.
 * Every error answer is a thrown `SandboxHttpError`, answered in one place.
 * https://shopify.dev/docs/api/usage/authentication
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from '../../faults.ts';
import { answerError, SandboxHttpError, sendJson } from '../../http-errors.ts';
import { ADMIN_API_VERSION } from '../admin-schema.ts';
import { BULK_RESULTS_PATH } from '../bulk/bulk-operations.ts';
import type { GraphQLPipeline } from '../graphql/pipeline.ts';
import { STAGED_UPLOADS_PATH } from '../uploads/staged-uploads.ts';
import { handleControl } from './control-endpoints.ts';
import type { ControlTarget } from './control-endpoints.ts';
import type { FileEndpoints } from './file-endpoints.ts';
import { parseGraphQLBody, readBody } from './read-body.ts';
import { badGraphQLBody, invalidAccessToken, notFound, sandboxFailure, serverError, SHOPIFY_JSON, throttledRequest } from './shopify-http-errors.ts';

/** Base Retry-After for an injected 429, in seconds, shortened by the time scale. */
const FAULT_RETRY_AFTER_SECONDS = 2;
const MAX_GRAPHQL_BODY_BYTES = 5 * 1024 * 1024;
const VERSION_HEADER = { 'x-shopify-api-version': ADMIN_API_VERSION };

export interface HttpEdgeDeps {
  accessToken: string;
  timeScale: number;
  pipeline: GraphQLPipeline;
  files: FileEndpoints;
  control: ControlTarget;
  faults: () => { next(): Fault | null };
  /** True (once) when the answer to a request counted as `label` is to be lost after it ran. */
  loseAnswer(label: string): boolean;
  /** Counts an answer by operation label and status, and an injected fault by kind. */
  count(operation: string, status: number): void;
  /** Returns how many faults of that kind were injected so far, this one included. */
  countFault(kind: Fault['kind']): number;
}

/**
 * @example
 * const handle = createHttpEdge(deps);
 * createServer((request, response) => void handle(request, response));
 */
export function createHttpEdge(deps: HttpEdgeDeps): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  /** Applies the next injected fault; true when it answered (or dropped) the request. */
  const applyFault = async (request: IncomingMessage): Promise<boolean> => {
    const fault = deps.faults().next();
    if (!fault) return false;
    const nth = deps.countFault(fault.kind);
    switch (fault.kind) {
      case 'reset':
        request.socket.destroy();
        return true;
      case '5xx':
        throw labelled(serverError(nth % 2 === 1 ? 500 : 503), 'fault');
      case '429':
        throw labelled(throttledRequest(Number((FAULT_RETRY_AFTER_SECONDS / deps.timeScale).toFixed(3))), 'fault');
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return false;
    }
  };

  const graphql = async (request: IncomingMessage, response: ServerResponse, version: string): Promise<string> => {
    if (request.headers['x-shopify-access-token'] !== deps.accessToken) throw labelled(invalidAccessToken(), 'unauthorized');
    // Shopify serves a retired version with the oldest supported one ("fall forward"); the
    // sandbox has only 2026-07, so older quarterly versions get it and anything else is 404.
    if (!isServedVersion(version)) throw labelled(notFound(), 'unknown api version');
    if (request.method !== 'POST') throw labelled(notFound(405), 'graphql bad method');
    const parsed = parseGraphQLBody(await readBody(request, MAX_GRAPHQL_BODY_BYTES), request.headers['content-type']);
    if (!parsed) throw labelled(badGraphQLBody(), 'graphql bad request');
    const outcome = deps.pipeline.run(parsed.query, parsed.variables, parsed.operationName);
    deps.count(outcome.label, 200);
    if (deps.loseAnswer(outcome.label)) {
      request.socket.destroy();
      return outcome.label;
    }
    sendJson(response, 200, outcome.body, VERSION_HEADER, SHOPIFY_JSON);
    return outcome.label;
  };

  const route = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    const graphqlPath = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(path);
    if (graphqlPath) {
      await graphql(request, response, graphqlPath[1] as string);
      return;
    }
    const bulkResult = new RegExp(`^${BULK_RESULTS_PATH}/(\\d+)\\.jsonl$`).exec(path);
    if (bulkResult && request.method === 'GET') {
      deps.count('bulk result', deps.files.bulkResult(response, bulkResult[1] as string));
      return;
    }
    if (path === STAGED_UPLOADS_PATH || path.startsWith(`${STAGED_UPLOADS_PATH}/`)) {
      deps.count('staged upload', await deps.files.upload(request, response, path.slice(STAGED_UPLOADS_PATH.length + 1)));
      return;
    }
    throw notFound();
  };

  return async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://sandbox').pathname;
    if (path.startsWith('/__sandbox/')) return handleControl(request, response, path, deps.control);
    try {
      if (await applyFault(request)) return;
      await route(request, response, path);
    } catch (error) {
      const status = answerError(response, error, SHOPIFY_JSON, sandboxFailure);
      deps.count(labelOf(error, path), status);
    }
  };
}

const labels = new WeakMap<SandboxHttpError, string>();

/** Marks an answer with the operation label the stats count it under. */
function labelled(error: SandboxHttpError, label: string): SandboxHttpError {
  labels.set(error, label);
  return error;
}

/** The stats label of a failed request: the edge's own label, else where it was going. */
function labelOf(error: unknown, path: string): string {
  if (!(error instanceof SandboxHttpError)) return 'sandbox failure';
  const label = labels.get(error);
  if (label) return label;
  if (error.status === 413) return 'request too large';
  if (path.startsWith(BULK_RESULTS_PATH)) return 'bulk result';
  if (path.startsWith(STAGED_UPLOADS_PATH)) return 'staged upload';
  return 'not found';
}

function isServedVersion(version: string): boolean {
  const match = /^(\d{4})-(01|04|07|10)$/.exec(version);
  return match !== null && version <= ADMIN_API_VERSION;
}
