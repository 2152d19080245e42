/**
 * The error tree shared by the Shopify and Klaviyo clients. Callers decide by type:
 * `RetriableError` may be sent again (after `ThrottledError.retryAfterMs` when throttled);
 * anything else is final. Messages name the service, the operation and the request, never a
 * secret; the original error is kept as `cause`.
 */
export type Service = 'shopify' | 'klaviyo';

export interface ApiErrorDetails {
  readonly service: Service;
  /** The operation, e.g. `orders bulk query`, `POST /api/profile-bulk-import-jobs`. */
  readonly operation: string;
  readonly status?: number;
  readonly cause?: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly service: Service;
  readonly operation: string;
  readonly status: number | undefined;

  constructor(message: string, details: ApiErrorDetails) {
    super(`${details.service} ${details.operation}: ${message}`, { cause: details.cause });
    this.service = details.service;
    this.operation = details.operation;
    this.status = details.status;
  }
}

/** A failure that may succeed if sent again: 5xx, a reset connection, a timeout. */
export class RetriableError extends ApiError {
  override name = 'RetriableError';
}

/** The API asked us to slow down (HTTP 429, Shopify THROTTLED); retry after `retryAfterMs`. */
export class ThrottledError extends RetriableError {
  override name = 'ThrottledError';
  constructor(
    message: string,
    details: ApiErrorDetails,
    readonly retryAfterMs: number,
  ) {
    super(message, details);
  }
}

/** Wrong or missing credentials, or a missing scope: fix the configuration, do not retry. */
export class AuthError extends ApiError {
  override name = 'AuthError';
}

/** A response that does not have the shape we rely on (validated with zod). */
export class ResponseShapeError extends ApiError {
  override name = 'ResponseShapeError';
}
