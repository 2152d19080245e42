import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { ApiKeySession, ListsApi, ProfilesApi, SegmentsApi } from 'klaviyo-api';
import type { z } from 'zod';
import { ResponseShapeError, ThrottledError } from '../errors.ts';
import { redact } from '../http/redact.ts';
import { withRetry } from '../http/retry.ts';
import { createEndpointLimiters } from '../http/window-limiter.ts';
import { toKlaviyoError } from './classify-error.ts';
import { KLAVIYO_LIMITS, limitWindows, type KlaviyoEndpoint } from './rate-limits.ts';

/** Production API host; `TIERSYNC_KLAVIYO_URL` replaces it to talk to the sandbox. */
export const KLAVIYO_BASE_URL = 'https://a.klaviyo.com';

export interface KlaviyoLogger {
  warn(message: string): void;
}

export interface KlaviyoTransportDeps {
  readonly apiKey: string;
  readonly baseUrl?: string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** [0, 1), for retry jitter. */
  readonly random: () => number;
  readonly logger?: KlaviyoLogger;
  /** How much faster than real time the server's clock runs (the sandbox's time scale); default 1. */
  readonly timeScale?: number;
  /** Per-request timeout; default 60 s (a 5 MB import job upload on a slow link). */
  readonly timeoutMs?: number;
  /** Attempts per request, the first included; default 8. */
  readonly maxAttempts?: number;
}

/** What the client did, for logs and the bench. */
export interface KlaviyoStats {
  /** HTTP requests sent per endpoint, retries included. */
  readonly requests: Partial<Record<KlaviyoEndpoint, number>>;
  readonly throttled: number;
  readonly retried: number;
}

export interface KlaviyoRequest<T> {
  readonly endpoint: KlaviyoEndpoint;
  /** For messages, e.g. `POST /api/profile-bulk-import-jobs`. */
  readonly operation: string;
  /** The part of the response body we rely on. */
  readonly schema: z.ZodType<T>;
  /** false: one attempt, for a write that is not safe to repeat blindly (the caller decides). */
  readonly retry?: boolean;
}

export interface KlaviyoTransport {
  readonly profiles: ProfilesApi;
  readonly lists: ListsApi;
  readonly segments: SegmentsApi;
  /** Sends one request under its endpoint's limits, retried with backoff, its body validated. */
  send<T>(request: KlaviyoRequest<T>, call: () => Promise<{ response: AxiosResponse }>): Promise<T>;
  /**
   * A JSON:API POST of a body already in wire form, with the SDK session's headers, for what
   * the SDK cannot serialise: its model of `meta.patch_properties.unset` (a string or an array)
   * throws in klaviyo-api 23. Use it as `send`'s call.
   */
  postJson(path: string, body: unknown): Promise<{ response: AxiosResponse }>;
  stats(): KlaviyoStats;
}

/**
 * The `klaviyo-api` SDK builds every request (paths, query serialisation, camelCase models to
 * the wire's snake_case) and its `ApiKeySession` adds `Authorization` and the `revision` header
 * (2026-07-15 in v23). What it lacks we add here: its built-in retry uses `Math.random`,
 * `Date.now` and `setTimeout` and cannot be bounded by our clock, and it sends through the
 * global axios without a timeout; so this session sends through our own axios instance, and
 * limits, retries and errors are ours.
 */
class TimedSession extends ApiKeySession {
  constructor(
    apiKey: string,
    private readonly http: AxiosInstance,
  ) {
    super(apiKey);
  }

  override requestWithRetry(config: AxiosRequestConfig): Promise<AxiosResponse> {
    return this.http.request(config);
  }
}

/**
 * The request layer of the Klaviyo client.
 *
 * @example
 * const transport = createKlaviyoTransport({ apiKey, sleep, now: Date.now, random: Math.random });
 * const lists = await transport.send({ endpoint: 'get_lists', operation: 'GET /api/lists', schema },
 *   () => transport.lists.getLists());
 */
export function createKlaviyoTransport(deps: KlaviyoTransportDeps): KlaviyoTransport {
  const timeScale = deps.timeScale ?? 1;
  const baseUrl = (deps.baseUrl ?? KLAVIYO_BASE_URL).replace(/\/+$/, '');
  const http = axios.create({ timeout: deps.timeoutMs ?? 60_000, maxBodyLength: 6 * 1024 * 1024 });
  const session = new TimedSession(deps.apiKey, http);
  const profiles = new ProfilesApi(session);
  const lists = new ListsApi(session);
  const segments = new SegmentsApi(session);
  profiles.basePath = baseUrl;
  lists.basePath = baseUrl;
  segments.basePath = baseUrl;

  const limiters = createEndpointLimiters(
    Object.fromEntries(
      Object.entries(KLAVIYO_LIMITS).map(([endpoint, limit]) => [endpoint, limitWindows(limit, timeScale, 0.02)]),
    ) as Record<KlaviyoEndpoint, ReturnType<typeof limitWindows>>,
    deps,
  );
  const requests: Partial<Record<KlaviyoEndpoint, number>> = {};
  let throttled = 0;
  let retried = 0;
  const context = { apiKey: deps.apiKey, now: deps.now };

  return {
    profiles,
    lists,
    segments,
    async postJson(path, body) {
      const config: AxiosRequestConfig = {
        method: 'POST',
        url: `${baseUrl}${path}`,
        headers: { 'Content-Type': 'application/vnd.api+json', Accept: 'application/vnd.api+json' },
        data: body,
      };
      await session.applyToRequest(config);
      return { response: await http.request(config) };
    },
    async send(request, call) {
      const attempt = async () => {
        await limiters.acquire(request.endpoint);
        requests[request.endpoint] = (requests[request.endpoint] ?? 0) + 1;
        let response: AxiosResponse;
        try {
          ({ response } = await call());
        } catch (error) {
          const mapped = toKlaviyoError(error, request.operation, context);
          if (mapped instanceof ThrottledError) {
            throttled += 1;
            limiters.pause(request.endpoint, mapped.retryAfterMs);
          }
          throw mapped;
        }
        const parsed = request.schema.safeParse(response.data);
        if (!parsed.success) {
          throw new ResponseShapeError(`unexpected response (HTTP ${response.status}): ${parsed.error.message}`, {
            service: 'klaviyo',
            operation: request.operation,
            status: response.status,
            cause: parsed.error,
          });
        }
        return parsed.data;
      };
      if (request.retry === false) return attempt();
      return withRetry(attempt, {
        maxAttempts: deps.maxAttempts ?? 8,
        baseDelayMs: 500 / timeScale,
        maxDelayMs: 30_000 / timeScale,
        random: deps.random,
        sleep: deps.sleep,
        onRetry(error, n, delayMs) {
          retried += 1;
          deps.logger?.warn(redact(`${error.message}; retry ${n} in ${Math.round(delayMs)} ms`, [deps.apiKey]));
        },
      });
    },
    stats: () => ({ requests: { ...requests }, throttled, retried }),
  };
}
