import { z } from 'zod';
import type { ModelFits } from '../model/predict-customers.ts';
import type { CursorRepository } from './cursors.ts';

/** Model parameters as a run kept them for the next runs. */
export interface StoredModelFits {
  /** When they were fitted, epoch ms. */
  readonly fittedAt: number;
  /** Orders in the store when fitted. */
  readonly orders: number;
  readonly fits: ModelFits;
}

export interface ModelFitRepository {
  /** The kept fits; null when none were kept or the record is unreadable (a refit follows, never a failure). */
  latest(): StoredModelFits | null;
  save(record: StoredModelFits): void;
}

// Kept in the key/value table under this key (stores written before this repository have it there).
const KEY = 'model.fits';

const diagnostics = {
  logLikelihood: z.number(), converged: z.boolean(), iterations: z.number(), evaluations: z.number(),
  customers: z.number(), distinctRows: z.number(), problems: z.array(z.string()),
};
const positive = z.number().positive().finite();
const storedFitsSchema = z.object({
  fittedAt: z.number(),
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
 * The BG/NBD and Gamma-Gamma fits of the last refit, so that daily runs reuse them.
 *
 * @example
 * const fits = createModelFitRepository(createCursorRepository(db));
 * fits.save({ fittedAt: Date.now(), orders: 1200, fits: model });
 * fits.latest()?.orders; // 1200
 */
export function createModelFitRepository(cursors: CursorRepository): ModelFitRepository {
  return {
    latest() {
      const text = cursors.getCursor(KEY);
      if (!text) return null;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return null;
      }
      const parsed = storedFitsSchema.safeParse(json);
      return parsed.success ? (parsed.data as StoredModelFits) : null;
    },
    save({ fittedAt, orders, fits }) {
      const { status, warnings, customers, repeatCustomers, timeUnit, bgnbd, gammaGamma } = fits;
      cursors.setCursor(KEY, JSON.stringify({ fittedAt, orders, fits: { status, warnings, customers, repeatCustomers, timeUnit, bgnbd, gammaGamma } }));
    },
  };
}
