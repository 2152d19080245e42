import type { PublishedRateLimit } from '../../openapi/klaviyo-operations.ts';

/**
 * Klaviyo's rate limiting: "a fixed-window rate limiting algorithm with two distinct windows:
 * burst (1-second window) and steady (1-minute window)", 429 when either is reached
 * (developers.klaviyo.com/en/docs/rate_limits_and_error_handling); some endpoints add a daily
 * window (`x-klaviyo-ratelimit.daily`, e.g. create_list 150/d). Windows are per account and endpoint.
 * `timeScale` shortens every window by that factor; rejected requests do not count. Windows start
 * at the limiter's creation time (scaled time is measured from there, which keeps it well inside
 * exact double precision even at a time scale of a million).
 */

/** The steady window as the `RateLimit-*` headers report it. */
export interface SteadyWindow {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export type RateDecision = ({ allowed: true } & SteadyWindow) | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  take(key: string, limits: PublishedRateLimit): RateDecision;
  /** The steady window now, without counting a request (for answers the limiter never saw). */
  peek(key: string, limits: PublishedRateLimit): SteadyWindow;
  reset(): void;
}

interface WindowCount {
  index: number;
  count: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * @example
 * const limiter = createRateLimiter({ now: () => clock, timeScale: 1 });
 * limiter.take('create_list', { burstPerSecond: 10, steadyPerMinute: 150, dailyLimit: 150 });
 * // { allowed: true, limit: 150, remaining: 149, resetSeconds: ... }
 */
export function createRateLimiter(options: { now: () => number; timeScale: number }): RateLimiter {
  const counters = new Map<string, WindowCount>();
  const origin = options.now();

  /** Every window of `key` as of now, with the steady window as the headers report it. */
  const windowsOf = (key: string, limits: PublishedRateLimit) => {
    const scaledNow = (options.now() - origin) * options.timeScale;
    const windows = [
      { name: 'burst', size: SECOND_MS, limit: limits.burstPerSecond },
      { name: 'steady', size: MINUTE_MS, limit: limits.steadyPerMinute },
      ...(limits.dailyLimit === null ? [] : [{ name: 'daily', size: DAY_MS, limit: limits.dailyLimit }]),
    ].map((window) => {
      const index = Math.floor(scaledNow / window.size);
      const counterKey = `${key} ${window.name}`;
      const stored = counters.get(counterKey);
      const count = stored !== undefined && stored.index === index ? stored.count : 0;
      return { ...window, index, counterKey, count, endsAt: (index + 1) * window.size };
    });
    const steady = windows[1] as (typeof windows)[number];
    const steadyWindow = (taken: number): SteadyWindow => ({
      limit: steady.limit,
      remaining: Math.max(0, steady.limit - steady.count - taken),
      resetSeconds: Math.ceil((steady.endsAt - scaledNow) / options.timeScale / 1000),
    });
    return { scaledNow, windows, steadyWindow };
  };

  return {
    take(key, limits) {
      const { scaledNow, windows, steadyWindow } = windowsOf(key, limits);
      const full = windows.filter((window) => window.count >= window.limit);
      if (full.length > 0) {
        const waitScaled = Math.max(...full.map((window) => window.endsAt - scaledNow));
        return { allowed: false, retryAfterMs: waitScaled / options.timeScale };
      }
      for (const window of windows) counters.set(window.counterKey, { index: window.index, count: window.count + 1 });
      return { allowed: true, ...steadyWindow(1) };
    },
    peek(key, limits) {
      return windowsOf(key, limits).steadyWindow(0);
    },
    reset() {
      counters.clear();
    },
  };
}
