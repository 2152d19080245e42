import { KlaviyoApiError } from './errors.ts';

/** The scheme and the key after it (HTTP trims a header's trailing spaces, so a bare scheme is a missing key). */
const CREDENTIALS = /^Klaviyo-API-Key(?:\s+(.*))?$/;
/** "/client endpoints use a public API key: your 6-character company ID, also known as a site ID" (developers.klaviyo.com/en/docs/authenticate). */
const PUBLIC_KEY_PATTERN = /^[A-Za-z0-9]{6}$/;

const failure = (status: number, code: string, title: string, detail: string) =>
  new KlaviyoApiError(status, [{ status, code, title, detail, source: { pointer: '/data/' } }]);

/**
 * Private key authentication of the /api endpoints (`Authorization: Klaviyo-API-Key <key>`),
 * answered as Klaviyo does: no header or another scheme is 401 `not_authenticated` with the
 * detail Klaviyo sends ("Missing or invalid authorization scheme. Please use Klaviyo-API-Key.",
 * as captured in community.klaviyo.com thread 7403); a wrong private key is 401
 * `authentication_failed`; a missing key after the scheme, or a public key (the 6-character site
 * id), is 400: "A 400 error indicates an invalid or missing API key" (developers.klaviyo.com/en/
 * v2024-05-15/docs/authenticate). The codes of those 400s are not documented; the sandbox uses
 * the authentication codes of the 401s. Returns the error, or null when the key is right.
 *
 * @example
 * authProblem('Klaviyo-API-Key pk_right', 'pk_right'); // null
 * authProblem('Bearer pk_right', 'pk_right')?.status; // 401
 * authProblem('Klaviyo-API-Key AbC123', 'pk_right')?.status; // 400
 */
export function authProblem(authorization: string | undefined, apiKey: string): KlaviyoApiError | null {
  const credentials = CREDENTIALS.exec(authorization ?? '');
  if (!credentials) {
    return failure(401, 'not_authenticated', 'Authentication credentials were not provided.', 'Missing or invalid authorization scheme. Please use Klaviyo-API-Key.');
  }
  const key = (credentials[1] ?? '').trim();
  if (key === apiKey) return null;
  if (key === '') return failure(400, 'not_authenticated', 'Authentication credentials were not provided.', 'Missing API key: send "Klaviyo-API-Key <private key>".');
  if (PUBLIC_KEY_PATTERN.test(key)) {
    return failure(400, 'authentication_failed', 'Incorrect authentication credentials.', 'A public API key (site ID) cannot authenticate /api endpoints; use a private API key.');
  }
  return failure(401, 'authentication_failed', 'Incorrect authentication credentials.', 'The private API key is missing or invalid.');
}

/**
 * Whether the key's scopes cover an operation's (its OpenAPI description's "**Scopes:**"). A
 * key's access to a resource is none, read or full in Klaviyo's key settings, so `x:write`
 * (full access) covers `x:read`. A missing scope is 403 `permission_denied`; its title is the
 * Django REST Framework default Klaviyo's other errors use, the detail the sandbox's own.
 *
 * @example
 * scopeProblem(['lists:read'], new Set(['lists:write'])); // null
 * scopeProblem(['profiles:read'], new Set(['lists:read']))?.status; // 403
 */
export function scopeProblem(needed: readonly string[], granted: ReadonlySet<string>): KlaviyoApiError | null {
  const missing = needed.filter((scope) => !granted.has(scope) && !(scope.endsWith(':read') && granted.has(scope.replace(/:read$/, ':write'))));
  if (missing.length === 0) return null;
  return failure(403, 'permission_denied', 'You do not have permission to perform this action.', `This API key is missing the scopes ${missing.join(', ')}.`);
}
