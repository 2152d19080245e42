import { InternalError } from '../errors.ts';

/** At most `limit` requests in any `intervalMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly intervalMs: number;
}

export interface WindowLimiterDeps {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface WindowLimiter {
  /** Resolves when a request may be sent now, and counts it. */
  acquire(): Promise<void>;
  /** Holds every acquirer back for `ms` from now (a 429's `Retry-After`); a longer pause wins. */
  pause(ms: number): void;
}

/**
 * A client-side limiter over several windows at once (e.g. burst 10/s and steady 150/min).
 * Each window is a sliding log of the last `limit` grants: no span of `intervalMs` ever holds
 * more than `limit` requests, which keeps us inside a server's fixed windows too. Grants are
 * recorded synchronously, so concurrent acquirers cannot overdraw a window.
 *
 * @example
 * const limiter = createWindowLimiter([{ limit: 10, intervalMs: 1000 }, { limit: 150, intervalMs: 60_000 }],
 *   { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
 * await limiter.acquire(); // then send
 */
export function createWindowLimiter(windows: readonly RateWindow[], deps: WindowLimiterDeps): WindowLimiter {
  for (const window of windows) {
    if (!Number.isInteger(window.limit) || window.limit < 1 || !(window.intervalMs > 0)) {
      throw new InternalError(`window limiter: a window needs a whole limit ≥ 1 and a positive interval, got ${JSON.stringify(window)}`);
    }
  }
  // grants[i] holds the times of the most recent grants in window i, oldest first.
  const grants = windows.map(() => [] as number[]);
  let pausedUntil = -Infinity;

  const delayNeeded = (at: number): number => {
    let delay = Math.max(0, pausedUntil - at);
    windows.forEach((window, i) => {
      const log = grants[i] as number[];
      while (log.length > 0 && (log[0] as number) <= at - window.intervalMs) log.shift();
      if (log.length >= window.limit) {
        delay = Math.max(delay, (log[log.length - window.limit] as number) + window.intervalMs - at);
      }
    });
    return delay;
  };

  return {
    async acquire() {
      for (;;) {
        const at = deps.now();
        const delay = delayNeeded(at);
        if (delay <= 0) {
          for (const log of grants) log.push(at);
          return;
        }
        await deps.sleep(delay);
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, deps.now() + ms);
    },
  };
}

/**
 * One {@link WindowLimiter} per endpoint name, as rate limits are per endpoint.
 *
 * @example
 * const limiters = createEndpointLimiters({ bulkImport: [{ limit: 10, intervalMs: 1000 }] }, deps);
 * await limiters.acquire('bulkImport');
 */
export function createEndpointLimiters<E extends string>(
  limits: Readonly<Record<E, readonly RateWindow[]>>,
  deps: WindowLimiterDeps,
): { acquire(endpoint: E): Promise<void>; pause(endpoint: E, ms: number): void } {
  const limiters = new Map<E, WindowLimiter>();
  for (const endpoint of Object.keys(limits) as E[]) limiters.set(endpoint, createWindowLimiter(limits[endpoint], deps));
  const get = (endpoint: E): WindowLimiter => {
    const limiter = limiters.get(endpoint);
    if (!limiter) throw new InternalError(`window limiter: no limits configured for endpoint "${endpoint}"`);
    return limiter;
  };
  return {
    acquire: (endpoint) => get(endpoint).acquire(),
    pause: (endpoint, ms) => get(endpoint).pause(ms),
  };
}
