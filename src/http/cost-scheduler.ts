/**
 * A cost-aware scheduler for Shopify's GraphQL leaky bucket: it learns the bucket size and the
 * restore rate from each response's `extensions.cost.throttleStatus` (never from the plan name),
 * and before a query of requested cost C waits until the estimated available points reach C.
 *
 * The restore rate is also measured between responses (points restored per second of this
 * process's clock). On a real shop the two agree and the reported one is used; when the other
 * side runs on a faster clock (the sandbox's time scale restores faster than the rate it
 * reports) the measured one is used, from the first sample on.
 *
 * Shopify checks the requested cost against the bucket before running a query and refunds the
 * difference to the actual cost afterwards; the bucket refills continuously at `restoreRate`
 * points a second up to `maximumAvailable`.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */

/** Samples and observed time needed before the measured restore rate counts. */
const MIN_RESTORE_SAMPLES = 1;
const MIN_RESTORE_WINDOW_MS = 1;
/** A measured rate this many times the reported one means the other side's clock runs faster. */
const FASTER_CLOCK_FACTOR = 1.5;

export interface ThrottleStatus {
  readonly maximumAvailable: number;
  readonly currentlyAvailable: number;
  readonly restoreRate: number;
}

export interface CostSchedulerDeps {
  /** Epoch ms. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface CostSchedulerSnapshot {
  /** Learned bucket size, null until the first response. */
  readonly maximumAvailable: number | null;
  /** Reported restore rate in points a second, null until the first response. */
  readonly restoreRate: number | null;
  /** Restore rate measured between responses, null until enough time was observed. */
  readonly measuredRestoreRate: number | null;
  /** Points the bucket is estimated to hold now, null until the first response. */
  readonly estimatedAvailable: number | null;
  /** How many times `acquire` had to wait, and for how long in all. */
  readonly waits: number;
  readonly waitedMs: number;
}

export interface CostScheduler {
  /** Waits until the bucket is estimated to hold `cost` points, then counts them as spent. */
  acquire(cost: number): Promise<void>;
  /**
   * Records the bucket as the API reported it just now, with the points the request was
   * charged in the end (`actualQueryCost`; null or 0 when it was throttled and not run).
   */
  observe(status: ThrottleStatus, actualCost: number | null): void;
  snapshot(): CostSchedulerSnapshot;
}

/**
 * Creates a scheduler. Callers are served one at a time, in the order they called `acquire`,
 * so two concurrent requests never spend the same estimated points.
 *
 * @example
 * const scheduler = createCostScheduler({ now: Date.now, sleep });
 * await scheduler.acquire(112);
 * const body = await send();
 * scheduler.observe(body.extensions.cost.throttleStatus, body.extensions.cost.actualQueryCost);
 */
export function createCostScheduler(deps: CostSchedulerDeps): CostScheduler {
  let learned: ThrottleStatus | null = null;
  let available = 0;
  let availableAt = 0;
  let lastObserved: { available: number; at: number } | null = null;
  let restoredPoints = 0;
  let restoredOverMs = 0;
  let restoreSamples = 0;
  let waits = 0;
  let waitedMs = 0;
  let queue: Promise<void> = Promise.resolve();

  /**
   * The measured rate when it is clearly above the reported one (a faster clock); otherwise the
   * reported rate, which a short, noisy measurement must not override.
   */
  function restoreRate(): number {
    const reported = learned?.restoreRate ?? 0;
    const measured = measuredRate();
    return measured !== null && measured > reported * FASTER_CLOCK_FACTOR ? measured : reported;
  }

  function measuredRate(): number | null {
    if (restoreSamples < MIN_RESTORE_SAMPLES || restoredOverMs < MIN_RESTORE_WINDOW_MS) return null;
    return (restoredPoints / restoredOverMs) * 1000;
  }

  function estimateAt(time: number): number | null {
    if (!learned) return null;
    const refilled = available + (restoreRate() * Math.max(0, time - availableAt)) / 1000;
    return Math.min(learned.maximumAvailable, refilled);
  }

  async function acquireInTurn(cost: number): Promise<void> {
    const current = estimateAt(deps.now());
    // Before the first response nothing is known: the first request is the probe.
    if (current === null || !learned) return;
    // A query can never need more than a full bucket; Shopify rejects those before any wait helps.
    const needed = Math.min(cost, learned.maximumAvailable);
    const rate = restoreRate();
    if (current < needed && rate > 0) {
      const waitMs = Math.ceil(((needed - current) / rate) * 1000);
      waits++;
      waitedMs += waitMs;
      await deps.sleep(waitMs);
    }
    const time = deps.now();
    available = (estimateAt(time) ?? 0) - cost;
    availableAt = time;
  }

  return {
    acquire(cost: number): Promise<void> {
      const turn = queue.then(() => acquireInTurn(cost));
      queue = turn.catch(() => undefined);
      return turn;
    },
    observe(status: ThrottleStatus, actualCost: number | null): void {
      const at = deps.now();
      const charged = actualCost ?? 0;
      // Points restored since the last response = now − before + what this request was charged;
      // an interval where the bucket may have reached its cap says nothing about the rate.
      if (lastObserved && at > lastObserved.at && status.currentlyAvailable + charged < status.maximumAvailable - 1) {
        const restored = status.currentlyAvailable - lastObserved.available + charged;
        if (restored >= 0) {
          restoredPoints += restored;
          restoredOverMs += at - lastObserved.at;
          restoreSamples++;
        }
      }
      lastObserved = { available: status.currentlyAvailable, at };
      learned = status;
      available = status.currentlyAvailable;
      availableAt = at;
    },
    snapshot(): CostSchedulerSnapshot {
      return {
        maximumAvailable: learned?.maximumAvailable ?? null,
        restoreRate: learned?.restoreRate ?? null,
        measuredRestoreRate: measuredRate(),
        estimatedAvailable: estimateAt(deps.now()),
        waits,
        waitedMs,
      };
    },
  };
}
