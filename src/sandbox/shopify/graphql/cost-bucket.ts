/**
 * The GraphQL Admin API's leaky bucket per app and shop: a request needs its requested cost
 * available up front, is charged that, and is refunded the difference to its actual cost after
 * execution; the bucket restores continuously at the plan's rate.
 * https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */

export type ShopifyPlan = 'standard' | 'advanced' | 'plus' | 'enterprise';

export interface PlanLimits {
  /** Points restored per second (published per plan). */
  restoreRate: number;
  /** Bucket size (`throttleStatus.maximumAvailable`). */
  maximumAvailable: number;
}

/**
 * Restore rates are the published figures. Bucket sizes are not tabulated in the docs; the
 * `throttleStatus` Shopify returns shows 2,000 for a 100/s shop and 20,000 for a 1,000/s (Plus)
 * shop, i.e. 20 seconds of restore, which is applied to Advanced and Enterprise as well.
 */
export const PLAN_LIMITS: Readonly<Record<ShopifyPlan, PlanLimits>> = {
  standard: { restoreRate: 100, maximumAvailable: 2_000 },
  advanced: { restoreRate: 200, maximumAvailable: 4_000 },
  plus: { restoreRate: 1_000, maximumAvailable: 20_000 },
  enterprise: { restoreRate: 2_000, maximumAvailable: 40_000 },
};

/** A single query may not cost more than this, whatever the plan. */
export const MAX_SINGLE_QUERY_COST = 1_000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostBucket {
  /** Charges `cost` if available now; returns false (and charges nothing) otherwise. */
  take(cost: number): boolean;
  refund(points: number): void;
  status(): ThrottleStatus;
  reset(): void;
}

/**
 * Creates a full bucket. `timeScale` makes it restore that many times faster (the sandbox's
 * way to exercise long syncs quickly); the reported `restoreRate` stays the plan's figure.
 *
 * @example
 * const bucket = createCostBucket({ plan: 'standard', now: Date.now });
 * bucket.take(1_000); // true; currentlyAvailable is now 1,000
 */
export function createCostBucket(options: { plan: ShopifyPlan; now: () => number; timeScale?: number }): CostBucket {
  const limits = PLAN_LIMITS[options.plan];
  const timeScale = options.timeScale ?? 1;
  let available = limits.maximumAvailable;
  let updatedAt = options.now();

  const restore = (): void => {
    const now = options.now();
    const elapsedSeconds = Math.max(0, now - updatedAt) / 1000;
    available = Math.min(limits.maximumAvailable, available + elapsedSeconds * limits.restoreRate * timeScale);
    updatedAt = now;
  };

  return {
    take(cost) {
      restore();
      if (cost > available) return false;
      available -= cost;
      return true;
    },
    refund(points) {
      restore();
      available = Math.min(limits.maximumAvailable, available + Math.max(0, points));
    },
    status() {
      restore();
      // Shopify reports whole points available.
      return { maximumAvailable: limits.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: limits.restoreRate };
    },
    reset() {
      available = limits.maximumAvailable;
      updatedAt = options.now();
    },
  };
}
