/**
 * The one error tree of tiersync; every layer may import it. Callers decide by type, never by
 * message, and the CLI (src/cli/main.ts) turns each type into one clear line and an exit code:
 *
 *   TiersyncError
 *   ├─ UserError            the user can fix it: input file, config, environment, usage
 *   ├─ StoreError           the local store cannot be opened, migrated or read back
 *   ├─ InternalError        a broken promise inside tiersync: a bug to report
 *   ├─ InterruptedError     a signal stopped the run cleanly: not a failure, it resumes
 *   └─ ApiError             a Shopify or Klaviyo request failed (final as it is)
 *      ├─ RetriableError    may succeed if sent again: 5xx, a reset connection, a timeout
 *      │  └─ ThrottledError the API asked us to slow down; retry after `retryAfterMs`
 *      ├─ AuthError         wrong or missing credentials or scope: fix the configuration
 *      └─ ResponseShapeError an answer without the shape we rely on (validated with zod)
 *
 * As in ky's HTTPError and shopify-app-js's HttpResponseError: one class per concept, each API
 * error names its request (service and operation; never the URL, since signed URLs carry
 * credentials) and keeps the original failure as `cause`. Messages never hold a secret.
 */
export class TiersyncError extends Error {
  override name = 'TiersyncError';
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
  }
}

/**
 * An error the user can fix (bad input, bad config, a missing variable). The message names the
 * file, line, field or variable and what to do; the CLI prints it alone, without a stack trace,
 * and exits with `exitCode`.
 *
 * @example
 * throw new UserError(`config/tiersync.json: tiers[2].share must be ≤ 1 (got 1.5)`);
 */
export class UserError extends TiersyncError {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The local SQLite store cannot be opened or migrated, or holds a row that does not read back.
 * The message names the file; the store also holds the journal and what tiersync applied, so
 * the CLI never suggests deleting it.
 *
 * @example
 * throw new StoreError('.tiersync/acme.db', 'cannot open: SQLITE_CANTOPEN');
 */
export class StoreError extends TiersyncError {
  override name = 'StoreError';
  constructor(
    readonly path: string,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`order store ${path}: ${message}`, options);
  }
}

/**
 * Something tiersync promised itself did not hold (a plan names a list that was never
 * resolved, options built in code are invalid). Not the user's doing: it is reported as a bug.
 *
 * @example
 * throw new InternalError('Klaviyo list "tiersync: VIP" has no id');
 */
export class InternalError extends TiersyncError {
  override name = 'InternalError';
}

/** The signals tiersync stops cleanly on. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * The exit code of a process stopped by `signal`, as shells report it (128 + the signal
 * number): 130 for SIGINT, 143 for SIGTERM. The daemon reads it to tell a stop it asked for
 * from a failure.
 *
 * @example
 * signalExitCode('SIGTERM'); // 143
 */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * A run stopped by SIGINT or SIGTERM after the batch in flight: what landed is journaled, the
 * lock is released and the next sync resumes. A clean stop, not a failure; the process exits
 * with {@link signalExitCode} so that a caller still sees the sync did not complete.
 *
 * @example
 * interrupt.abort(new InterruptedError('SIGTERM'));
 */
export class InterruptedError extends TiersyncError {
  override name = 'InterruptedError';
  readonly exitCode: number;
  constructor(readonly signal: StopSignal) {
    super(`stopped by ${signal} after the batch in flight; the next sync resumes from the journal`);
    this.exitCode = signalExitCode(signal);
  }
}

export type Service = 'shopify' | 'klaviyo';

export interface ApiErrorDetails {
  readonly service: Service;
  /** The request, e.g. `orders bulk query`, `POST /api/profile-bulk-import-jobs`. */
  readonly operation: string;
  readonly status?: number;
  readonly cause?: unknown;
}

/** A Shopify or Klaviyo request failed; sending it again will not help. */
export class ApiError extends TiersyncError {
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
