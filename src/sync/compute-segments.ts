import type { Config } from '../config/schema.ts';
import { createCurrencyTally } from '../core/currency.ts';
import { createSegmentationRun } from '../core/run-segmentation.ts';
import type { SegmentColumns } from '../core/segment-columns.ts';
import { summarize, type SegmentationSummary } from '../core/summary.ts';
import type { ModelFits } from '../model/predict-customers.ts';
import type { Store } from '../store/open-store.ts';
import { freshModelFits } from './model-fits.ts';
import type { Progress } from './progress.ts';

export interface ComputedSegments {
  readonly segments: SegmentColumns;
  readonly summary: SegmentationSummary;
  /** The model's fits (per-customer predictions are in the segments), or null when it was not asked for. */
  readonly model: ModelFits | null;
  /** The shop's currency (core/currency.ts), USD when no order names one. */
  readonly currency: string;
}

/**
 * The compute stage: every stored order through the segmentation (reusing fresh model fits,
 * keeping a refit for the next runs), summarized, and kept as columns for the stages after it.
 *
 * @example
 * const { segments, currency } = computeSegments({ store, config, asOf, now: Date.now, progress });
 */
export function computeSegments(deps: { store: Store; config: Config; asOf: Date; now: () => number; progress: Progress }): ComputedSegments {
  const { store, config, asOf, now, progress } = deps;
  const ordersNow = store.orders.countOrders();
  const phase = progress.phase('compute segments', ordersNow);
  const reuseFits = freshModelFits(store.modelFits.latest(), ordersNow, config, now());
  const run = createSegmentationRun(config, asOf, reuseFits ? { reuseFits } : {});
  const currencies = createCurrencyTally();
  for (const order of store.orders.iterateOrders()) {
    run.add(order);
    currencies.add(order.currency);
    phase.tick();
  }
  const { segments, model, refitted } = run.finishColumns();
  if (model && refitted) store.modelFits.save({ fittedAt: now(), orders: ordersNow, fits: model });
  const summary = summarize(segments, config);
  phase.done(`${segments.length} customers${model ? (refitted ? '; model fitted' : '; model parameters reused') : ''}`);
  return { segments: segments.inPlainIdOrder(), summary, model, currency: currencies.dominant() ?? 'USD' };
}
