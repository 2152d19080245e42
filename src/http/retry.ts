import { RetriableError, ThrottledError } from '../errors.ts';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injected so tests are deterministic; returns [0, 1). */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onRetry?: (error: RetriableError, attempt: number, delayMs: number) => void;
}

/**
 * Runs `send` until it succeeds, retrying only `RetriableError`s: a `ThrottledError` waits
 * the time the API asked for, anything else retriable waits an exponential backoff with full
 * jitter (AWS architecture blog, "Exponential Backoff And Jitter"). Non-retriable errors and
 * the last failure are thrown as they are.
 *
 * @example
 * const body = await withRetry(() => postJson(url, payload), { maxAttempts: 6, baseDelayMs: 500,
 *   maxDelayMs: 30_000, random: Math.random, sleep });
 */
export async function withRetry<T>(send: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(attempt);
    } catch (error) {
      if (!(error instanceof RetriableError) || attempt >= options.maxAttempts) throw error;
      const delayMs = retryDelayMs(error, attempt, options);
      options.onRetry?.(error, attempt, delayMs);
      await options.sleep(delayMs);
    }
  }
}

/**
 * The one backoff rule: how long to wait before attempt `attempt + 1` after `error`. A
 * `ThrottledError` waits what the API asked for; anything else waits a full-jitter exponential
 * backoff, uniform in [0, min(maxDelayMs, baseDelayMs · 2^(attempt−1))).
 *
 * @example
 * retryDelayMs(new RetriableError('HTTP 503', details), 3, { baseDelayMs: 500, maxDelayMs: 30_000, random: () => 0.5 }); // 1000
 */
export function retryDelayMs(
  error: RetriableError,
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  if (error instanceof ThrottledError) return error.retryAfterMs;
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(options.random() * ceiling);
}
