import type { Config } from '../config/schema.ts';
import { createOrderSummarizer } from '../model/rfm-summary.ts';
import { predictFromSummaries, type PredictionResult } from '../model/predict-customers.ts';
import { createFactsBuilder, type OrderCounts } from './facts.ts';
import type { Order } from './order.ts';
import { segmentCustomers, type CustomerSegment } from './segment.ts';

export interface SegmentationResult {
  readonly segments: CustomerSegment[];
  readonly counts: OrderCounts;
  /** The predictive model's fit, or null when it was not asked for. */
  readonly model: PredictionResult | null;
}

/** Whether the config (or the caller) needs the BG/NBD + Gamma-Gamma predictions. */
export function needsPredictions(config: Config): boolean {
  return config.predictions.enabled || config.ltv.model !== 'historical' || config.churn.model === 'bgnbd';
}

/**
 * The whole computation of DESIGN.md's middle box, fed one order at a time: order facts,
 * the predictive model when configured, tiers and overlays. Pure: no clock, I/O or randomness.
 *
 * @example
 * const run = createSegmentationRun(config, asOf);
 * await readOrders(path, run.add);
 * const { segments, model } = run.finish();
 */
export function createSegmentationRun(config: Config, asOf: Date) {
  const facts = createFactsBuilder({
    asOf,
    historyDays: config.history_days,
    trendWindowDays: config.churn.trend_window_days,
    improvementWindowDays: config.churn.improvement_window_days,
  });
  const summarizer = needsPredictions(config) ? createOrderSummarizer(asOf, { timeUnit: 'week' }) : null;
  return {
    add(order: Order): void {
      facts.add(order);
      summarizer?.add(order);
    },
    finish(): SegmentationResult {
      const { customers, counts } = facts.finish();
      const model = summarizer ? predictFromSummaries(summarizer.finish(), { timeUnit: 'week' }) : null;
      const segments = segmentCustomers(customers, config, model?.perCustomer);
      return { segments, counts, model };
    },
  };
}
