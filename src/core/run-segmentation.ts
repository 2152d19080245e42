import type { Config } from '../config/schema.ts';
import { createSlotSummarizer, type RfmColumns } from '../model/rfm-summary.ts';
import {
  fitModelColumns,
  predictColumns,
  type CustomerPrediction,
  type CustomerPredictionColumns,
  type ModelFits,
  type PredictionResult,
} from '../model/predict-customers.ts';
import type { PredictOutcome, PredictTask } from '../model/predict-in-worker.ts';
import { createFactsBuilder, type OrderCounts } from './facts.ts';
import type { FactsOrder } from './order.ts';
import type { SegmentColumns } from './segment-columns.ts';
import { segmentColumns, type CustomerSegment } from './segment.ts';

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

/** {@link SegmentationResult} as columns: what a large shop's run keeps. */
export interface SegmentationColumnsResult {
  /** In customer id order ({@link compareIds}). */
  readonly segments: SegmentColumns;
  readonly counts: OrderCounts;
  /** The model's fits and status, or null when it was not asked for; the predictions are in the segments. */
  readonly model: ModelFits | null;
  readonly refitted: boolean;
}

/**
 * The whole computation of docs/DESIGN.md's middle box, fed one order at a time: order facts,
 * the predictive model when configured, tiers and overlays. Pure: no clock, I/O or randomness.
 * Everything per customer is kept in columns (facts, model summaries, predictions, segments);
 * `finish` gives the segments as objects, `finishColumns` as columns.
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
  // The model counts the same orders as the facts (countable, a customer, at or before asOf), so it shares their slots.
  const days = needsPredictions(config) ? createSlotSummarizer(asOf, { timeUnit: MODEL_TIME_UNIT }) : null;
  const reuse = options.reuseFits?.status === 'fitted' && options.reuseFits.timeUnit === MODEL_TIME_UNIT ? options.reuseFits : undefined;
  const finishColumns = (): SegmentationColumnsResult & { predictions: CustomerPredictionColumns | null } => {
    const { facts: columns, counts } = facts.finishColumns();
    let model: (ModelFits & { columns: CustomerPredictionColumns | null }) | null = null;
    if (days) {
      const summaries = inFactsOrder(days.finish(columns.length), columns.slotOf);
      model = predictColumns(summaries, reuse ?? fitModelColumns(summaries, { timeUnit: MODEL_TIME_UNIT }));
    }
    const segments = segmentColumns(columns, config, model?.columns ?? undefined);
    if (!model) return { segments, counts, model: null, refitted: false, predictions: null };
    const { columns: predictions, ...fits } = model;
    return { segments, counts, model: fits, refitted: reuse === undefined, predictions };
  };
  /**
   * {@link finishColumns} with the model run by `predict` (another thread): when the tiers and
   * churn risk do not read the predictions (`ltv.model` historical, `churn.model` heuristic,
   * the default), the customers are segmented meanwhile, with prediction columns the outcome
   * fills in afterwards (left NaN on a fallback, as without predictions); otherwise the
   * segmentation waits for them. The same result as finishColumns either way.
   */
  const finishColumnsWith = async (predict: (task: PredictTask) => Promise<PredictOutcome>): Promise<SegmentationColumnsResult> => {
    if (!days) return finishColumns();
    const { facts: columns, counts } = facts.finishColumns();
    const summaries = inFactsOrder(days.finish(columns.length), columns.slotOf);
    const outcome = predict({ summaries, timeUnit: MODEL_TIME_UNIT, reuse: reuse ?? null });
    let segments: SegmentColumns;
    let model: PredictOutcome;
    if (config.ltv.model === 'historical' && config.churn.model !== 'bgnbd') {
      const n = columns.length;
      const later = {
        expectedOrders365: new Float64Array(n).fill(Number.NaN),
        pAlive: new Float64Array(n).fill(Number.NaN),
        predictedClvCents: new Float64Array(n).fill(Number.NaN),
      };
      segments = segmentColumns(columns, config, later);
      model = await outcome;
      if (model.columns) {
        later.expectedOrders365.set(model.columns.expectedOrders365);
        later.pAlive.set(model.columns.pAlive);
        later.predictedClvCents.set(model.columns.predictedClvCents);
      }
    } else {
      model = await outcome;
      segments = segmentColumns(columns, config, model.columns ?? undefined);
    }
    const { columns: _predictions, ...fits } = model;
    return { segments, counts, model: fits, refitted: reuse === undefined };
  };
  return {
    finishColumnsWith,
    add(order: FactsOrder): void {
      const slot = facts.add(order);
      if (slot >= 0) days?.addPurchase(slot, order.processedAt, order.totalCents);
    },
    finishColumns(): SegmentationColumnsResult {
      const { predictions: _predictions, ...result } = finishColumns();
      return result;
    },
    finish(): SegmentationResult {
      const { segments, counts, model, refitted, predictions } = finishColumns();
      const perCustomer = new Map<string, CustomerPrediction>();
      if (predictions) {
        for (let i = 0; i < segments.length; i++) {
          perCustomer.set(segments.customerId(i), {
            expectedOrders365: predictions.expectedOrders365[i]!,
            pAlive: predictions.pAlive[i]!,
            expectedOrderValueCents: predictions.expectedOrderValueCents[i]!,
            predictedClvCents: predictions.predictedClvCents[i]!,
          });
        }
      }
      return { segments: [...segments], counts, model: model && { ...model, perCustomer }, refitted };
    },
  };
}

/** The summaries of the builder's slots, permuted to the facts' positions. */
function inFactsOrder(summaries: RfmColumns, slotOf: Int32Array): RfmColumns {
  const n = slotOf.length;
  const permuted = <T extends Float64Array | Int32Array | Uint8Array>(column: T): T => {
    const next = new (column.constructor as new (n: number) => T)(n);
    for (let i = 0; i < n; i++) next[i] = column[slotOf[i]!]!;
    return next;
  };
  return {
    length: n,
    hasHistory: permuted(summaries.hasHistory),
    frequency: permuted(summaries.frequency),
    recency: permuted(summaries.recency),
    T: permuted(summaries.T),
    monetaryValueCents: permuted(summaries.monetaryValueCents),
    holdoutPurchases: permuted(summaries.holdoutPurchases),
  };
}
