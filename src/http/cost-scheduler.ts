/**
 * A cost-aware scheduler for Shopify's GraphQL leaky bucket: it learns the bucket size and the
 * restore rate from each response's `extensions.cost.throttleStatus` (never from the plan name),
 * and before a query of requested cost C waits until the estimated available points reach C.
 *
 * Shopify checks the requested cost against the bucket before running a query and refunds the
 * difference to the actual cost afterwards; the bucket refills continuously at `restoreRate`
 * points a second up to `maximumAvailable`.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */

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
  /** Learned restore rate in points a second, null until the first response. */
  readonly restoreRate: number | null;
  /** Points the bucket is estimated to hold now, null until the first response. */
  readonly estimatedAvailable: number | null;
  /** How many times `acquire` had to wait, and for how long in all. */
  readonly waits: number;
  readonly waitedMs: number;
}

export interface CostScheduler {
  /** Waits until the bucket is estimated to hold `cost` points, then counts them as spent. */
  acquire(cost: number): Promise<void>;
  /** Records the bucket as the API reported it just now. */
  observe(status: ThrottleStatus): void;
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
 * scheduler.observe(body.extensions.cost.throttleStatus);
 */
export function createCostScheduler(deps: CostSchedulerDeps): CostScheduler {
  let learned: ThrottleStatus | null = null;
  let available = 0;
  let availableAt = 0;
  let waits = 0;
  let waitedMs = 0;
  let queue: Promise<void> = Promise.resolve();

  function estimateAt(time: number): number | null {
    if (!learned) return null;
    const refilled = available + (learned.restoreRate * Math.max(0, time - availableAt)) / 1000;
    return Math.min(learned.maximumAvailable, refilled);
  }

  async function acquireInTurn(cost: number): Promise<void> {
    const current = estimateAt(deps.now());
    // Before the first response nothing is known: the first request is the probe.
    if (current === null || !learned) return;
    // A query can never need more than a full bucket; Shopify rejects those before any wait helps.
    const needed = Math.min(cost, learned.maximumAvailable);
    if (current < needed && learned.restoreRate > 0) {
      const waitMs = Math.ceil(((needed - current) / learned.restoreRate) * 1000);
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
    observe(status: ThrottleStatus): void {
      learned = status;
      available = status.currentlyAvailable;
      availableAt = deps.now();
    },
    snapshot(): CostSchedulerSnapshot {
      return {
        maximumAvailable: learned?.maximumAvailable ?? null,
        restoreRate: learned?.restoreRate ?? null,
        estimatedAvailable: estimateAt(deps.now()),
        waits,
        waitedMs,
      };
    },
  };
}
