import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { klaviyoValidator } from '../../openapi/klaviyo-validator.ts';
import type { PublishedRateLimit } from '../../openapi/klaviyo-operations.ts';
import { seededRandom } from '../../util/seeded-random.ts';
import { createFaultInjector, NO_FAULTS, type FaultSpec } from '../faults.ts';
import { answerError, SandboxHttpError } from '../http-errors.ts';
import { createBulkJobs } from './bulk-jobs.ts';
import { KlaviyoApiError, notFound, throttled, type KlaviyoErrorBody } from './errors.ts';
import { createHandlers, type HandlerResult } from './handlers.ts';
import { createIdSource } from './ids.ts';
import { createRateLimiter, type SteadyWindow } from './rate-limiter.ts';
import { authProblem, scopeProblem } from './auth.ts';
import { revisionProblem } from './revisions.ts';
import { createRouter, type RouteMatch } from './router.ts';
import { createSegmentHandlers, createSegmentStore, type SegmentDefinition } from './segments.ts';
import { createKlaviyoStore, type WriteCounts } from './store.ts';

// Get List and Get Segment: "Rate limits when using the additional-fields[list]=profile_count
// (additional-fields[segment]=profile_count) parameter: Burst 1/s, Steady 15/m".
const PROFILE_COUNT_RATE_LIMIT: PublishedRateLimit = { burstPerSecond: 1, steadyPerMinute: 15, dailyLimit: null };
const MAX_READ_BYTES = 16 * 1024 * 1024;
const JSON_API = 'application/vnd.api+json';

export interface KlaviyoSandboxOptions {
  apiKey: string;
  seed: number;
  faults?: FaultSpec;
  /** Divides every rate-limit window, Retry-After and bulk job duration (default 1 = real time). */
  timeScale?: number;
  initialProfiles?: { email: string; externalId?: string; properties?: Record<string, unknown> }[];
  /** The private key's scopes (e.g. `lists:read`, `profiles:write`); default every scope the emulated operations need. */
  scopes?: readonly string[];
  now?: () => number;
  /** How a 'slow' fault waits (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

export interface KlaviyoSandboxState {
  profiles: { id: string; email: string | null; external_id: string | null; properties: Record<string, unknown> }[];
  lists: { id: string; name: string; profile_ids: string[] }[];
  segments: { id: string; name: string; definition: SegmentDefinition }[];
  bulk_import_jobs: { id: string; status: string; total_count: number; completed_count: number; failed_count: number }[];
}

export interface KlaviyoSandboxStats {
  /** Answers by operationId (or `unrouted`) and HTTP status. */
  requests: Record<string, Record<string, number>>;
  writes: WriteCounts;
  rate_limited: number;
  faults: { '5xx': number; reset: number; '429': number; slow: number };
}

export interface KlaviyoSandbox {
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
  state(): KlaviyoSandboxState;
  stats(): KlaviyoSandboxStats;
  reset(): void;
}

const optionsSchema = z.object({
  apiKey: z.string().min(1),
  seed: z.number().int(),
  faults: z.custom<FaultSpec>((value) => typeof value === 'object' && value !== null).optional(),
  timeScale: z.number().positive().optional(),
  initialProfiles: z
    .array(z.object({ email: z.string(), externalId: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
  sleep: z.custom<(ms: number) => Promise<void>>((value) => typeof value === 'function').optional(),
  scopes: z.array(z.string().regex(/^[a-z-]+:(read|write)$/, 'a Klaviyo scope such as lists:read')).optional(),
});

/**
 * A local emulator of the Klaviyo API (revision 2026-07-15) for the endpoints tiersync uses, in the
 * manner of stripe-mock: one pipeline per request (faults, auth, revision, route, rate limit, body
 * size and media type, OpenAPI request validation, execute, respond) answering in Klaviyo's own
 * JSON:API formats. `/__sandbox/stats`, `/__sandbox/state` and `POST /__sandbox/reset` expose its
 * effects. See src/sandbox/klaviyo/README.md for what it simplifies.
 *
 * @example
 * const sandbox = createKlaviyoSandbox({ apiKey: 'pk_test', seed: 1, timeScale: 100 });
 * const base = await sandbox.listen(0); // 'http://127.0.0.1:54321'
 * await fetch(`${base}/api/lists`, { headers: { Authorization: 'Klaviyo-API-Key pk_test', revision: '2026-07-15' } });
 * await sandbox.close();
 */
export function createKlaviyoSandbox(options: KlaviyoSandboxOptions): KlaviyoSandbox {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`createKlaviyoSandbox: invalid options: ${parsed.error.message}`, { cause: parsed.error });
  const now = options.now ?? Date.now;
  const timeScale = options.timeScale ?? 1;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const validator = klaviyoValidator();
  const route = createRouter(validator.operations.values());
  const scopes: ReadonlySet<string> = new Set(options.scopes ?? [...validator.operations.values()].flatMap((operation) => operation.scopes));

  let world = createWorld();
  let server: Server | null = null;
  const sockets = new Set<Socket>();

  function createWorld() {
    const ids = createIdSource(options.seed);
    const store = createKlaviyoStore({ ids, now });
    const jobs = createBulkJobs({ store, ids, now, timeScale });
    const segments = createSegmentStore({ ids, now });
    (options.initialProfiles ?? []).forEach((profile, index) => {
      const attributes: Record<string, unknown> = { email: profile.email, properties: profile.properties ?? {} };
      if (profile.externalId !== undefined) attributes.external_id = profile.externalId;
      try {
        store.upsertProfile({ attributes }, 'clear');
      } catch (error) {
        throw new Error(`createKlaviyoSandbox: initialProfiles[${index}] (${profile.email}) was refused: ${(error as Error).message}`, { cause: error });
      }
    });
    for (const key of Object.keys(store.writes) as (keyof WriteCounts)[]) store.writes[key] = 0;
    return {
      ids,
      store,
      jobs,
      segments,
      handlers: { ...createHandlers({ store, jobs }), ...createSegmentHandlers({ store, segments }) },
      limiter: createRateLimiter({ now, timeScale }),
      faults: createFaultInjector(options.faults ?? NO_FAULTS, seededRandom(options.seed + 0x3000)),
      serverErrorStatus: seededRandom(options.seed + 0x4000),
      requests: new Map<string, Map<number, number>>(),
      rateLimited: 0,
      faultCounts: { '5xx': 0, reset: 0, '429': 0, slow: 0 },
    };
  }

  const count = (operationId: string, status: number): void => {
    const byStatus = world.requests.get(operationId) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    world.requests.set(operationId, byStatus);
  };

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const payload = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      ...headers,
      ...(body === undefined ? {} : { 'Content-Type': JSON_API, 'Content-Length': String(Buffer.byteLength(payload)) }),
    });
    response.end(payload);
  };

  /** Klaviyo's error objects each carry a fresh `id`, given here when the answer is sent. */
  const withIds = (error: KlaviyoApiError, headers: Record<string, string>): SandboxHttpError =>
    new SandboxHttpError(error.status, { errors: error.errors.map((item: KlaviyoErrorBody) => ({ id: world.ids.uuid(), ...item, links: {}, meta: item.meta ?? {} })) }, { ...headers, ...error.headers });

  const simpleError = (status: number, code: string, title: string, detail: string, source = { pointer: '/data/' }) =>
    new KlaviyoApiError(status, [{ status, code, title, detail, source }]);

  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_READ_BYTES) throw simpleError(413, 'payload_too_large', 'Payload too large.', `Request bodies are limited to ${MAX_READ_BYTES} bytes.`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /**
   * The `RateLimit-*` headers of an answer: "All non-rate-limited (i.e., non 429) responses will
   * contain the following HTTP response headers that indicate the state of the steady rate limit
   * window" (developers.klaviyo.com/en/docs/rate_limits_and_error_handling): the requests allowed
   * a window, approximately how many remain, and the seconds until it resets.
   */
  const rateLimitHeaders = (window: SteadyWindow): Record<string, string> => ({
    'RateLimit-Limit': String(window.limit),
    'RateLimit-Remaining': String(window.remaining),
    'RateLimit-Reset': String(window.resetSeconds),
  });

  /** What an answer counts against: the operation's own windows, or the profile_count ones of get_list / get_segment. */
  const limitFor = (operation: { operationId: string; rateLimit: PublishedRateLimit }, url: URL) => {
    const countParameter = { get_list: 'additional-fields[list]', get_segment: 'additional-fields[segment]' }[operation.operationId];
    const countsProfiles = countParameter !== undefined && (url.searchParams.get(countParameter) ?? '').includes('profile_count');
    return countsProfiles
      ? { key: `${operation.operationId}:profile_count`, limits: PROFILE_COUNT_RATE_LIMIT }
      : { key: operation.operationId, limits: operation.rateLimit };
  };

  /**
   * `answer.rateHeaders` is filled as soon as the operation is known (the window as it stands,
   * then the window after this request once the limiter counted it), so that an error answer
   * other than a 429 carries them too.
   */
  async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, match: RouteMatch, answer: { rateHeaders: Record<string, string> }): Promise<void> {
    const method = request.method ?? 'GET';
    const limit = match.kind === 'found' ? limitFor(match.operation, url) : null;
    if (limit) answer.rateHeaders = rateLimitHeaders(world.limiter.peek(limit.key, limit.limits));
    const fault = world.faults.next();
    if (fault !== null) world.faultCounts[fault.kind] += 1;
    if (fault?.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault?.kind === '5xx') {
      throw world.serverErrorStatus() < 0.5
        ? simpleError(500, 'error', 'A server error occurred.', 'A server error occurred.')
        : simpleError(503, 'service_unavailable', 'Service temporarily unavailable, try again later.', 'Service temporarily unavailable, try again later.');
    }
    // An injected 429 asks for one burst window (1 s, scaled).
    if (fault?.kind === '429') throw throttled(1000 / timeScale, timeScale);
    if (fault?.kind === 'slow') await sleep(fault.delayMs);

    const refused = authProblem(request.headers.authorization, options.apiKey) ?? revisionProblem(request.headers.revision, now());
    if (refused) throw refused;
    if (match.kind === 'not-found') throw notFound(`No endpoint at ${url.pathname}.`);
    if (match.kind === 'method-not-allowed') {
      throw new KlaviyoApiError(405, [
        { status: 405, code: 'method_not_allowed', title: `Method "${method}" not allowed.`, detail: `Allowed: ${match.allowed.join(', ')}.`, source: { pointer: '/data/' } },
      ]);
    }

    const { operation, params } = match;
    const forbidden = scopeProblem(operation.scopes, scopes);
    if (forbidden) throw forbidden;
    world.jobs.advance();
    const decision = world.limiter.take(limit!.key, limit!.limits);
    if (!decision.allowed) {
      world.rateLimited += 1;
      throw throttled(decision.retryAfterMs, timeScale);
    }
    answer.rateHeaders = rateLimitHeaders(decision);

    const handler = world.handlers[operation.operationId];
    if (!handler) throw notFound(`The sandbox does not emulate ${operation.operationId}.`);
    let body: unknown;
    if (operation.requestSchema !== null) {
      const raw = await readBody(request);
      if (raw.length > handler.maxBodyBytes) {
        throw simpleError(413, 'payload_too_large', 'Payload too large.', `The maximum allowed payload size for ${operation.operationId} is ${handler.maxBodyBytes} bytes; got ${raw.length}.`);
      }
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      if (contentType !== JSON_API && contentType !== 'application/json') {
        throw simpleError(415, 'unsupported_media_type', 'Unsupported media type.', `Unsupported media type "${contentType}" in request; send ${JSON_API}.`);
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        throw simpleError(400, 'parse_error', 'Malformed request.', `JSON parse error: ${(error as Error).message}`);
      }
      const schemaErrors = validator.validateRequest(operation.operationId, body);
      if (schemaErrors.length > 0) {
        throw new KlaviyoApiError(
          400,
          schemaErrors.map((schemaError) => ({
            status: 400,
            code: 'invalid',
            title: 'Invalid input.',
            detail: `${schemaError.pointer || '/'}: ${schemaError.message}`,
            source: { pointer: schemaError.pointer || '/data/' },
          })),
        );
      }
    }
    const base = `http://${request.headers.host ?? '127.0.0.1'}`;
    const result: HandlerResult = handler.run({ operation, params, query: url.searchParams, body, base, selfUrl: `${base}${url.pathname}` });
    send(response, result.status, result.body, answer.rateHeaders);
    count(operation.operationId, result.status);
  }

  async function handleSandbox(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const json = (status: number, body: unknown): void => {
      const payload = JSON.stringify(body);
      response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) });
      response.end(payload);
    };
    if (request.method === 'GET' && url.pathname === '/__sandbox/stats') return json(200, sandbox.stats());
    if (request.method === 'GET' && url.pathname === '/__sandbox/state') return json(200, sandbox.state());
    if (request.method === 'POST' && url.pathname === '/__sandbox/reset') {
      sandbox.reset();
      return json(200, { reset: true });
    }
    json(404, { error: `unknown sandbox endpoint ${request.method} ${url.pathname}; try GET /__sandbox/stats, GET /__sandbox/state, POST /__sandbox/reset` });
  }

  async function onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname.startsWith('/__sandbox/')) return handleSandbox(request, response, url);
    const match = route(request.method ?? 'GET', url.pathname);
    const name = match.kind === 'found' ? match.operation.operationId : 'unrouted';
    const answer = { rateHeaders: {} as Record<string, string> };
    try {
      await handleApi(request, response, url, match, answer);
    } catch (error) {
      const failure = error instanceof KlaviyoApiError ? error : simpleError(500, 'error', 'A server error occurred.', `Sandbox error: ${(error as Error).message}`);
      const rateHeaders = failure.status === 429 ? {} : answer.rateHeaders;
      if (!request.socket.destroyed) answerError(response, withIds(failure, rateHeaders), JSON_API, () => withIds(failure, rateHeaders));
      count(name, failure.status);
    }
  }

  const sandbox: KlaviyoSandbox = {
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const created = createServer((request, response) => void onRequest(request, response));
        created.on('connection', (socket) => {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
        });
        created.once('error', reject);
        created.listen(port, host, () => {
          server = created;
          const address = created.address() as AddressInfo;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (server === null) return resolve();
        const closing = server;
        server = null;
        closing.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
    },
    state() {
      world.jobs.advance();
      return {
        profiles: Array.from({ length: world.store.profileCount() }, (_, index) => world.store.profileAt(index)).map((profile) => ({
          id: profile.id,
          email: profile.attributes.email,
          external_id: profile.attributes.external_id,
          properties: structuredClone(profile.properties),
        })),
        lists: [...world.store.lists()].map((list) => ({ id: list.id, name: list.name, profile_ids: [...list.members.keys()].sort() })),
        segments: world.segments.all().map((segment) => ({ id: segment.id, name: segment.name, definition: structuredClone(segment.definition) })),
        bulk_import_jobs: world.jobs.all().map((job) => ({
          id: job.id,
          status: world.jobs.status(job),
          total_count: job.total,
          completed_count: job.completed,
          failed_count: job.failed,
        })),
      };
    },
    stats() {
      world.jobs.advance();
      const requests: Record<string, Record<string, number>> = {};
      for (const [operationId, byStatus] of [...world.requests.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        requests[operationId] = Object.fromEntries([...byStatus.entries()].sort(([a], [b]) => a - b).map(([status, n]) => [String(status), n]));
      }
      return { requests, writes: { ...world.store.writes }, rate_limited: world.rateLimited, faults: { ...world.faultCounts } };
    },
    reset() {
      world = createWorld();
    },
  };
  return sandbox;
}
