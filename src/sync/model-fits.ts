import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import { DAY_MS } from '../core/order.ts';
import type { ModelFits } from '../model/predict-customers.ts';
import type { Store } from '../store/open-store.ts';

const MODEL_FITS = 'model.fits';

const diagnostics = {
  logLikelihood: z.number(), converged: z.boolean(), iterations: z.number(), evaluations: z.number(),
  customers: z.number(), distinctRows: z.number(), problems: z.array(z.string()),
};
const positive = z.number().positive().finite();
const storedFitsSchema = z.object({
  fittedAt: z.number(),
  /** Orders in the store when fitted. */
  orders: z.number().int().min(0),
  fits: z.object({
    status: z.enum(['fitted', 'fallback']),
    warnings: z.array(z.string()),
    customers: z.number().int(),
    repeatCustomers: z.number().int(),
    timeUnit: z.enum(['week', 'day']),
    bgnbd: z.object({ params: z.object({ r: positive, alpha: positive, a: positive, b: positive }), ...diagnostics }).optional(),
    gammaGamma: z.object({ params: z.object({ p: positive, q: positive, v: positive }), ...diagnostics }).optional(),
  }),
});

/**
 * Model parameters kept from an earlier run while they are fresh: younger than
 * `predictions.refit_days` and fitted on an order history within 10% of today's. Anything
 * unreadable is ignored (a refit follows), never fatal.
 *
 * @example
 * const reuseFits = freshModelFits(store, config, Date.now());
 */
export function freshModelFits(store: Store, config: Config, now: number): ModelFits | undefined {
  const text = store.cursors.getCursor(MODEL_FITS);
  if (!text) return undefined;
  let parsed;
  try {
    parsed = storedFitsSchema.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const { fittedAt, orders, fits } = parsed.data;
  const age = (now - fittedAt) / DAY_MS;
  const growth = Math.abs(store.orders.countOrders() - orders) / Math.max(1, orders);
  return age < config.predictions.refit_days && growth <= 0.1 ? fits : undefined;
}

/** Keeps the fits of this run for the next ones. */
export function saveModelFits(store: Store, fits: ModelFits, now: number): void {
  const { status, warnings, customers, repeatCustomers, timeUnit, bgnbd, gammaGamma } = fits;
  const record = { fittedAt: now, orders: store.orders.countOrders(), fits: { status, warnings, customers, repeatCustomers, timeUnit, bgnbd, gammaGamma } };
  store.cursors.setCursor(MODEL_FITS, JSON.stringify(record));
}
