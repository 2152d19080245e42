/**
 * The Admin API's HTTP-level error answers (before any GraphQL runs), as `SandboxHttpError`s the
 * edge throws and answers in one place. Bodies follow what Shopify sends: a plain string under
 * `errors` for auth and routing failures, GraphQL-style objects for throttling.
 * https://shopify.dev/docs/api/usage/response-codes
 */
import { SandboxHttpError } from '../../http-errors.ts';
import { RATE_LIMITS_DOC } from '../graphql/errors.ts';

export const SHOPIFY_JSON = 'application/json; charset=utf-8';

/** @example throw invalidAccessToken(); */
export function invalidAccessToken(): SandboxHttpError {
  return new SandboxHttpError(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
}

/** @example throw notFound(); */
export function notFound(status = 404): SandboxHttpError {
  return new SandboxHttpError(status, { errors: 'Not Found' });
}

/** @example throw badGraphQLBody(); */
export function badGraphQLBody(): SandboxHttpError {
  return new SandboxHttpError(400, { errors: { query: 'Required parameter missing or invalid' } });
}

/** @example throw requestTooLarge(); */
export function requestTooLarge(): SandboxHttpError {
  return new SandboxHttpError(413, { errors: 'Request Entity Too Large' });
}

/** An injected server error: 500 and 503 alternate. @example throw serverError(503); */
export function serverError(status: 500 | 503): SandboxHttpError {
  return new SandboxHttpError(status, { errors: status === 500 ? 'Internal Server Error' : 'Service Unavailable' });
}

/** An HTTP 429 with `Retry-After` in seconds. @example throw throttledRequest(2); */
export function throttledRequest(retryAfterSeconds: number): SandboxHttpError {
  return new SandboxHttpError(
    429,
    { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC } }] },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** The emulator's own failure (a bug), answered as 500. @example sandboxFailure(new Error('x')); */
export function sandboxFailure(error: Error): SandboxHttpError {
  return new SandboxHttpError(500, { errors: `sandbox failure: ${error.message}` });
}
