import type { Config } from '../config/schema.ts';
import { createOrderSummarizer } from '../model/rfm-summary.ts';
import { fitModels, predictWithFits, type ModelFits, type PredictionResult } from '../model/predict-customers.ts';
import { createFactsBuilder, type OrderCounts } from './facts.ts';
import type { Order } from './order.ts';
import { segmentCustomers, type CustomerSegment } from './segment.ts';

export interface SegmentationResult {
  readonly segments: CustomerSegment[];
  readonly counts: OrderCounts;
  /** The predictive model's result, or null when it was not asked for. */
  readonly model: PredictionResult | null;
  /** Whether `model` comes from a fit made in this run (false: the fits passed in were reused). */
  readonly refitted: boolean;
}

/** Time unit of the model's recency and age: the unit of the published CDNOW estimates. */
const MODEL_TIME_UNIT = 'week';

/** Whether the config (or the caller) needs the BG/NBD + Gamma-Gamma predictions. */
export function needsPredictions(config: Config): boolean {
  return config.predictions.enabled || config.ltv.model !== 'historical' || config.churn.model === 'bgnbd';
}

/**
 * The whole computation of docs/DESIGN.md's middle box, fed one order at a time: order facts,
 * the predictive model when configured, tiers and overlays. Pure: no clock, I/O or randomness.
 *
 * `reuseFits`: model parameters fitted by an earlier run; predictions then move only with each
 * customer's own history and age, not with a refit's small shifts for everyone.
 *
 * @example
 * const run = createSegmentationRun(config, asOf);
 * await readOrders(path, run.add);
 * const { segments, model } = run.finish();
 */
export function createSegmentationRun(config: Config, asOf: Date, options: { reuseFits?: ModelFits } = {}) {
  const facts = createFactsBuilder({
    asOf,
    historyDays: config.history_days,
    trendWindowDays: config.churn.trend_window_days,
    improvementWindowDays: config.churn.improvement_window_days,
  });
  const summarizer = needsPredictions(config) ? createOrderSummarizer(asOf, { timeUnit: MODEL_TIME_UNIT }) : null;
  const reuse = options.reuseFits?.status === 'fitted' && options.reuseFits.timeUnit === MODEL_TIME_UNIT ? options.reuseFits : undefined;
  return {
    add(order: Order): void {
      facts.add(order);
      summarizer?.add(order);
    },
    finish(): SegmentationResult {
      const { customers, counts } = facts.finish();
      const summaries = summarizer?.finish();
      const model = summaries ? predictWithFits(summaries, reuse ?? fitModels(summaries, { timeUnit: MODEL_TIME_UNIT })) : null;
      const segments = segmentCustomers(customers, config, model?.perCustomer);
      return { segments, counts, model, refitted: model !== null && reuse === undefined };
    },
  };
}
