/**
 * Klaviyo's JSON:API error objects. The shapes and texts follow what Klaviyo answers (it is built on
 * Django REST Framework, whose default titles it keeps), e.g. a 429 seen in klaviyo-api-node#66:
 * `{"id":"…","status":429,"code":"throttled","title":"Request was throttled.","detail":"Request was
 * throttled. Expected available in 1 second.","source":{"pointer":"/data"},"links":{…},"meta":{}}`
 * and a 409 from klaviyo-api-node#75 with `meta.duplicate_profile_id`. They are `SandboxHttpError`s,
 * the error style both emulators share (src/sandbox/http-errors.ts); the server gives each error
 * object its `id` when it answers.
 */
import { SandboxHttpError } from '../http-errors.ts';

export interface KlaviyoErrorSource {
  pointer?: string;
  parameter?: string;
}

/** An error object without its `id` (the server assigns a UUID when it answers). */
export interface KlaviyoErrorBody {
  status: number;
  code: string;
  title: string;
  detail: string;
  source: KlaviyoErrorSource;
  meta?: Record<string, unknown>;
}

/**
 * Thrown by a handler to answer with Klaviyo's error format; `headers` are added to the answer.
 *
 * @example
 * throw new KlaviyoApiError(405, [{ status: 405, code: 'method_not_allowed', title: 'Method "PUT" not allowed.', detail: 'Allowed: GET.', source: {} }]);
 */
export class KlaviyoApiError extends SandboxHttpError {
  readonly errors: KlaviyoErrorBody[];

  constructor(status: number, errors: KlaviyoErrorBody[], headers: Record<string, string> = {}) {
    super(status, { errors }, headers, `${status} ${errors.map((error) => `${error.code}: ${error.detail}`).join('; ')}`);
    this.name = 'KlaviyoApiError';
    this.errors = errors;
  }
}

/**
 * A 400 `invalid` error ("Invalid input."), the code Klaviyo uses for bad bodies and parameters.
 *
 * @example
 * throw invalid('Page size must be between 1 and 100.', { parameter: 'page[size]' });
 */
export function invalid(detail: string, source: KlaviyoErrorSource = { pointer: '/data/' }): KlaviyoApiError {
  return new KlaviyoApiError(400, [{ status: 400, code: 'invalid', title: 'Invalid input.', detail, source }]);
}

/** A 404 `not_found` error. @example throw notFound('A list with id abc123 does not exist.'); */
export function notFound(detail: string): KlaviyoApiError {
  return new KlaviyoApiError(404, [{ status: 404, code: 'not_found', title: 'Not found.', detail, source: { pointer: '/data/' } }]);
}

/**
 * Klaviyo's 409 for a profile whose identifier belongs to another profile (klaviyo-api-node#75).
 *
 * @example
 * throw duplicateProfile('01KDX0YM00W3N8ZQ6Y3B5H1C2D');
 */
export function duplicateProfile(existingId: string): KlaviyoApiError {
  return new KlaviyoApiError(409, [
    {
      status: 409,
      code: 'duplicate_profile',
      title: 'Conflict.',
      detail: 'A profile already exists with one of these identifiers.',
      source: { pointer: '/data/attributes' },
      meta: { duplicate_profile_id: existingId },
    },
  ]);
}

/**
 * Klaviyo's 429 with `Retry-After`. At time scale 1 it is whole seconds, rounded up so that a
 * client waiting that long finds the window open (as Klaviyo sends it); at any other time scale it
 * is the scaled wait in seconds with millisecond precision (e.g. `0.045`), as the Shopify emulator
 * does, so that a sped-up sandbox does not make clients wait real seconds.
 *
 * @example
 * throttled(1500, 1); // Retry-After: 2, detail "Request was throttled. Expected available in 2 seconds."
 * throttled(45, 1000); // Retry-After: 0.045
 */
export function throttled(retryAfterMs: number, timeScale: number): KlaviyoApiError {
  const seconds = timeScale === 1 ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : Math.max(1, Math.ceil(retryAfterMs)) / 1000;
  return new KlaviyoApiError(
    429,
    [
      {
        status: 429,
        code: 'throttled',
        title: 'Request was throttled.',
        detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        source: { pointer: '/data/' },
      },
    ],
    { 'Retry-After': String(seconds) },
  );
}
