import type { Config } from '../config/schema.ts';
import { DAY_MS } from '../core/order.ts';
import type { ModelFits } from '../model/predict-customers.ts';
import type { ModelFitRepository } from '../store/model-fits.ts';

/**
 * Model parameters kept from an earlier run while they are fresh: younger than
 * `predictions.refit_days` and fitted on an order history within 10% of today's.
 *
 * @example
 * const reuseFits = freshModelFits(store.modelFits.latest(), store.orders.countOrders(), config, Date.now());
 */
export function freshModelFits(kept: ReturnType<ModelFitRepository['latest']>, ordersNow: number, config: Config, now: number): ModelFits | undefined {
  if (!kept) return undefined;
  const age = (now - kept.fittedAt) / DAY_MS;
  const growth = Math.abs(ordersNow - kept.orders) / Math.max(1, kept.orders);
  return age < config.predictions.refit_days && growth <= 0.1 ? kept.fits : undefined;
}
