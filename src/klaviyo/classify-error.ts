import { isAxiosError } from 'axios';
import { ApiError, AuthError, RetriableError, ThrottledError } from '../errors.ts';
import { networkFailure } from '../http/network-failure.ts';
import { redact } from '../http/redact.ts';

/** When a 429 carries no usable `Retry-After`, wait this long (Klaviyo's burst window). */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * The error codes of a refused key. Klaviyo answers a bad key with 401 and, as its
 * authentication guide says, "A 400 error indicates an invalid or missing API key"; a 400 is a
 * credential problem when one of its errors carries one of these codes (never read from the
 * wording of a message).
 */
const CREDENTIAL_CODES = new Set(['not_authenticated', 'authentication_failed', 'permission_denied']);

/**
 * Turns what axios threw for a Klaviyo request into the shared error tree: 401/403, and a 400
 * with an authentication error code, are credentials, 429 is throttling with its `Retry-After`, 408/5xx and connections that broke
 * without an answer may be retried, any other status is final. The axios error itself is not
 * kept as `cause` because its `config.headers` carry the API key; a redacted copy is.
 *
 * @example
 * toKlaviyoError(axiosError, 'POST /api/lists', { apiKey, now: Date.now }); // ThrottledError with retryAfterMs 2000
 */
export function toKlaviyoError(error: unknown, operation: string, context: { apiKey: string; now: () => number }): unknown {
  if (!isAxiosError(error)) return error;
  const clean = (text: string) => redact(text, [context.apiKey]);
  const cause = Object.assign(new Error(clean(error.message)), { code: error.code });
  const details = { service: 'klaviyo' as const, operation, cause };
  const response = error.response;
  if (response === undefined) {
    return new RetriableError(`no response (${clean(networkFailure(error))})`, details);
  }
  const status = response.status;
  const detail = clean(klaviyoErrorDetail(response.data));
  const withStatus = { ...details, status };
  if (status === 401 || status === 403 || (status === 400 && errorCodes(response.data).some((code) => CREDENTIAL_CODES.has(code)))) {
    return new AuthError(
      `HTTP ${status}: Klaviyo refused the private API key (${detail}); set KLAVIYO_API_KEY to a private key with the profiles and lists read/write scopes`,
      withStatus,
    );
  }
  if (status === 429) {
    return new ThrottledError(`HTTP 429 throttled (${detail})`, withStatus, retryAfterMs(response.headers['retry-after'], context.now));
  }
  if (status === 408 || status >= 500) return new RetriableError(`HTTP ${status} (${detail})`, withStatus);
  return new ApiError(`HTTP ${status}: ${detail}`, withStatus);
}

function errorCodes(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors.map((e: { code?: unknown }) => String(e?.code ?? '')) : [];
}

/** The `detail`s of a JSON:API error document, or a short excerpt of whatever came back. */
function klaviyoErrorDetail(body: unknown): string {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors
      .map((e: { code?: unknown; detail?: unknown }) => `${String(e?.code ?? 'error')}: ${String(e?.detail ?? '')}`)
      .join('; ');
  }
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text || 'no body';
}

/** `Retry-After` is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: unknown, now: () => number): number {
  if (typeof header !== 'string' || header.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now());
}
