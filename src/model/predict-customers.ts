/**
 * Predictive CLV and churn (docs/DESIGN.md "LTV and tiers", "RFM overlay"), one entry point for
 * segmentation:
 *
 * - `ltv.model: 'predictive'` → LTV = `predictedClvCents`; `'total'` → historical LTV +
 *   `predictedClvCents`; `'historical'` → this module is not needed.
 * - `churn.model: 'bgnbd'` → churn risk = round(100 × (1 − `pAlive`)).
 * - `status === 'fallback'` → keep the historical LTV and the heuristic churn risk for everyone
 *   and show `warnings` (too few repeat customers, a fit that did not converge or ran to a
 *   boundary, no usable spend data); `perCustomer` is then empty.
 * - A customer absent from a fitted `perCustomer` had no countable order with a customer id at
 *   or before `asOf`.
 *
 * The fits see every countable order the caller passes (all history, not only the 730-day LTV
 * window), purchases counted by distinct UTC day.
 */
import type { Order } from '../core/order.ts';
import { fitBgNbd, type BgNbdCustomer, type BgNbdFit, type BgNbdParams } from './bgnbd.ts';
import { bgnbdExpectedPurchasesIfAlive, bgnbdProbabilityAlive } from './bgnbd-predict.ts';
import type { FitOptions } from './fit-common.ts';
import { fitGammaGamma, gammaGammaExpectedValue, type GammaGammaCustomer, type GammaGammaFit } from './gamma-gamma.ts';
import { DAYS_PER_UNIT, summarizeOrders, type RfmColumns, type RfmSummary, type TimeUnit } from './rfm-summary.ts';

/** The prediction horizon of `expectedOrders365` and `predictedClvCents`, in days. */
export const HORIZON_DAYS = 365;
/** Below this many repeat customers the fits are not trusted (the "say under 50"). */
export const DEFAULT_MIN_REPEAT_CUSTOMERS = 50;
/**
 * Gamma-Gamma is fitted on values in major units (minor / 100), so that `v` reads in dollars
 * for a cents currency as in the published CDNOW estimates. The model is scale-equivariant:
 * only the reported `v` depends on this, never a prediction.
 */
export const MINOR_UNITS_PER_MODEL_UNIT = 100;

export interface PredictOptions {
  /** Unit of recency/T and of the fitted alpha (default 'week'). Predictions are per day-horizon either way. */
  timeUnit?: TimeUnit;
  /** Fewer repeat customers than this → fallback (default 50). */
  minRepeatCustomers?: number;
  fit?: FitOptions;
}

/** One customer's predictions; every number finite. Money in integer minor units. */
export interface CustomerPrediction {
  /** Expected purchase days in the next 365 days (BG/NBD). */
  expectedOrders365: number;
  /** Probability the customer is still active (BG/NBD); churn risk = round(100 × (1 − pAlive)). */
  pAlive: number;
  /** Expected value of a future purchase (Gamma-Gamma), minor units. */
  expectedOrderValueCents: number;
  /** expectedOrders365 × expected order value, rounded; no discounting. */
  predictedClvCents: number;
}

export interface PredictionResult {
  /** 'fallback': use the historical LTV and the heuristic churn; `perCustomer` is then empty. */
  status: 'fitted' | 'fallback';
  /** Why the result fell back, or what to be careful about; empty when all is well. */
  warnings: string[];
  bgnbd?: BgNbdFit;
  gammaGamma?: GammaGammaFit;
  customers: number;
  repeatCustomers: number;
  timeUnit: TimeUnit;
  perCustomer: Map<string, CustomerPrediction>;
}

/**
 * Predicted CLV and P(alive) for every customer with a countable order at or before `asOf`:
 * BG/NBD for the number of future purchases and P(alive), Gamma-Gamma for their value, over
 * the next 365 days without discounting. Pure and deterministic. Falls back (status
 * 'fallback', a warning saying why, empty `perCustomer`) when there are too few repeat
 * customers, a fit does not converge or lands on a boundary, Gamma-Gamma's q ≤ 1, or any
 * prediction would not be finite.
 *
 * @example
 * const result = predictCustomers(orders, new Date('2026-07-01T00:00:00Z'), { timeUnit: 'day' });
 * if (result.status === 'fitted') result.perCustomer.get('7100000001')?.predictedClvCents;
 * else console.warn(result.warnings.join('\n'));
 */
export function predictCustomers(
  orders: Iterable<Order>,
  asOf: Date,
  options: PredictOptions = {},
): PredictionResult {
  const timeUnit = options.timeUnit ?? 'week';
  return predictFromSummaries(summarizeOrders(orders, asOf, { timeUnit }), { ...options, timeUnit });
}

/** The fits behind a prediction, and whether they can be used. */
export type ModelFits = Omit<PredictionResult, 'perCustomer'>;

/**
 * Fits BG/NBD on all customers and Gamma-Gamma on the repeat customers with a positive spend
 * (values in minor units / 100), each only when it has at least `minRepeatCustomers` customers
 * (`skipGammaGamma` when the input has no spend data).
 * status is 'fitted' only if both fits were made and neither reports a problem; otherwise
 * `warnings` say why, and whatever fit was made is still returned for diagnostics.
 *
 * @example
 * const fits = fitModels(summarizeOrders(orders, asOf, { timeUnit: 'week' }), { timeUnit: 'week' });
 * fits.bgnbd?.params; // { r, alpha, a, b }
 */
export function fitModels(
  summaries: readonly RfmSummary[],
  options: PredictOptions & { skipGammaGamma?: boolean } = {},
): ModelFits {
  return fitModelColumns(rfmColumnsOf(summaries), options);
}

/**
 * {@link fitModels} on summaries as columns (the customers whose `hasHistory` is set), so a
 * million customers are fitted without a million summary objects.
 *
 * @example
 * const fits = fitModelColumns(days.finish(customers), { timeUnit: 'week' });
 */
export function fitModelColumns(
  columns: RfmColumns,
  options: PredictOptions & { skipGammaGamma?: boolean } = {},
): ModelFits {
  const timeUnit = options.timeUnit ?? 'week';
  const minRepeat = options.minRepeatCustomers ?? DEFAULT_MIN_REPEAT_CUSTOMERS;
  let customers = 0;
  let repeatCustomers = 0;
  let spenders = 0;
  for (let i = 0; i < columns.length; i++) {
    if (!columns.hasHistory[i]) continue;
    customers++;
    if (columns.frequency[i]! > 0) repeatCustomers++;
    if (columns.frequency[i]! > 0 && columns.monetaryValueCents[i]! > 0) spenders++;
  }
  const fits: ModelFits = { status: 'fallback', warnings: [], customers, repeatCustomers, timeUnit };
  if (repeatCustomers < minRepeat) {
    fits.warnings.push(
      `BG/NBD: ${repeatCustomers} repeat customer(s) of ${customers}, fewer than the ${minRepeat} needed for a fit`,
    );
  } else {
    fits.bgnbd = fitBgNbd(bgnbdRows(columns), options.fit);
    fits.warnings.push(...fits.bgnbd.problems);
  }
  if (options.skipGammaGamma) {
    fits.warnings.push('Gamma-Gamma: not fitted (no spend data)');
  } else if (spenders < minRepeat) {
    fits.warnings.push(
      `Gamma-Gamma: ${spenders} repeat customer(s) with a positive spend, fewer than the ${minRepeat} needed for a fit`,
    );
  } else {
    fits.gammaGamma = fitGammaGamma(spenderRows(columns), options.fit);
    fits.warnings.push(...fits.gammaGamma.problems);
  }
  if (fits.bgnbd !== undefined && fits.gammaGamma !== undefined && fits.warnings.length === 0) fits.status = 'fitted';
  return fits;
}

/** The BG/NBD rows of the columns, one reused object (the fit reads each row as it comes). */
function* bgnbdRows(columns: RfmColumns): Generator<BgNbdCustomer> {
  const row = { frequency: 0, recency: 0, T: 0 };
  for (let i = 0; i < columns.length; i++) {
    if (!columns.hasHistory[i]) continue;
    row.frequency = columns.frequency[i]!;
    row.recency = columns.recency[i]!;
    row.T = columns.T[i]!;
    yield row;
  }
}

/** Repeat customers with a positive spend, values in model units, one reused object. */
function* spenderRows(columns: RfmColumns): Generator<GammaGammaCustomer> {
  const row = { frequency: 0, monetaryValue: 0 };
  for (let i = 0; i < columns.length; i++) {
    if (!columns.hasHistory[i] || !(columns.frequency[i]! > 0 && columns.monetaryValueCents[i]! > 0)) continue;
    row.frequency = columns.frequency[i]!;
    row.monetaryValue = columns.monetaryValueCents[i]! / MINOR_UNITS_PER_MODEL_UNIT;
    yield row;
  }
}

/** Summaries as columns, in their order. */
function rfmColumnsOf(summaries: readonly RfmSummary[]): RfmColumns {
  return {
    length: summaries.length,
    hasHistory: new Uint8Array(summaries.length).fill(1),
    frequency: Int32Array.from(summaries, (s) => s.frequency),
    recency: Float64Array.from(summaries, (s) => s.recency),
    T: Float64Array.from(summaries, (s) => s.T),
    monetaryValueCents: Float64Array.from(summaries, (s) => s.monetaryValueCents),
    holdoutPurchases: Int32Array.from(summaries, (s) => s.holdoutPurchases),
  };
}

/**
 * {@link predictCustomers} on summaries already made by `summarizeOrders` (same time unit).
 *
 * @example
 * predictFromSummaries(summarizeOrders(orders, asOf, { timeUnit: 'week' }), { timeUnit: 'week' });
 */
export function predictFromSummaries(
  summaries: readonly RfmSummary[],
  options: PredictOptions = {},
): PredictionResult {
  return predictWithFits(summaries, fitModels(summaries, options));
}

/**
 * Per-customer predictions from fits made earlier (by {@link fitModels}, on the same time
 * unit): parameters are refitted now and then, while predictions follow every run.
 *
 * @example
 * const fits = fitModels(summaries, { timeUnit: 'week' });
 * predictWithFits(summaries, fits).perCustomer.get('7100000001');
 */
export function predictWithFits(summaries: readonly RfmSummary[], fits: ModelFits): PredictionResult {
  const { columns, ...result } = predictColumns(rfmColumnsOf(summaries), fits);
  const perCustomer = new Map<string, CustomerPrediction>();
  if (columns) {
    summaries.forEach((summary, i) => {
      perCustomer.set(summary.customerId, {
        expectedOrders365: columns.expectedOrders365[i]!,
        pAlive: columns.pAlive[i]!,
        expectedOrderValueCents: columns.expectedOrderValueCents[i]!,
        predictedClvCents: columns.predictedClvCents[i]!,
      });
    });
  }
  return { ...result, perCustomer };
}

/** {@link CustomerPrediction}'s numbers as columns, in the order of the summaries. */
export interface CustomerPredictionColumns {
  readonly expectedOrders365: Float64Array;
  readonly pAlive: Float64Array;
  readonly expectedOrderValueCents: Float64Array;
  readonly predictedClvCents: Float64Array;
}

/**
 * {@link predictWithFits} on summaries as columns: the fits (status and warnings as there) and,
 * unless the result falls back, one prediction per position (NaN where `hasHistory` is not set).
 *
 * @example
 * const { status, columns } = predictColumns(summaryColumns, fits);
 */
export function predictColumns(summaries: RfmColumns, fits: ModelFits): ModelFits & { columns: CustomerPredictionColumns | null } {
  const { bgnbd, gammaGamma } = fits;
  if (fits.status === 'fallback' || bgnbd === undefined || gammaGamma === undefined) {
    return { ...fits, warnings: [...fits.warnings, FALLBACK_NOTE], columns: null };
  }

  const horizon = HORIZON_DAYS / DAYS_PER_UNIT[fits.timeUnit];
  const n = summaries.length;
  const columns = {
    expectedOrders365: new Float64Array(n).fill(Number.NaN),
    pAlive: new Float64Array(n).fill(Number.NaN),
    expectedOrderValueCents: new Float64Array(n).fill(Number.NaN),
    predictedClvCents: new Float64Array(n).fill(Number.NaN),
  };
  const customer = { frequency: 0, recency: 0, T: 0 };
  const ifAlive = expectedPurchasesIfAliveMemo(bgnbd.params, horizon);
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    if (!summaries.hasHistory[i]) continue;
    customer.frequency = summaries.frequency[i]!;
    customer.recency = summaries.recency[i]!;
    customer.T = summaries.T[i]!;
    const pAlive = bgnbdProbabilityAlive(bgnbd.params, customer);
    // bgnbdExpectedPurchases's own product, its costly series shared by every customer of the same (frequency, T).
    const expectedOrders365 = pAlive * ifAlive(customer.frequency, customer.T);
    const orderValue =
      MINOR_UNITS_PER_MODEL_UNIT *
      gammaGammaExpectedValue(
        gammaGamma.params,
        customer.frequency,
        summaries.monetaryValueCents[i]! / MINOR_UNITS_PER_MODEL_UNIT,
      );
    const clv = expectedOrders365 * orderValue;
    if (![expectedOrders365, pAlive, orderValue, clv].every(Number.isFinite)) {
      nonFinite++;
      continue;
    }
    columns.expectedOrders365[i] = expectedOrders365;
    columns.pAlive[i] = pAlive;
    columns.expectedOrderValueCents[i] = Math.round(orderValue);
    columns.predictedClvCents[i] = Math.round(clv);
  }
  if (nonFinite > 0) {
    const warning = `predictions of ${nonFinite} customer(s) are not finite with these parameters`;
    return { ...fits, status: 'fallback', warnings: [warning, FALLBACK_NOTE], columns: null };
  }
  return { ...fits, columns };
}

/**
 * {@link bgnbdExpectedPurchasesIfAlive} at one horizon (> 0), computed once per distinct
 * (frequency, T): T takes one value per first-purchase day, so a million customers have a few
 * thousand distinct pairs, and the hypergeometric series is the prediction's cost.
 */
function expectedPurchasesIfAliveMemo(params: BgNbdParams, horizon: number): (frequency: number, T: number) => number {
  const byAge = new Map<number, number[]>();
  return (frequency, T) => {
    let byFrequency = byAge.get(T);
    if (byFrequency === undefined) {
      byFrequency = [];
      byAge.set(T, byFrequency);
    }
    let value = byFrequency[frequency];
    if (value === undefined) {
      value = bgnbdExpectedPurchasesIfAlive(params, horizon, frequency, T);
      byFrequency[frequency] = value;
    }
    return value;
  };
}

const FALLBACK_NOTE = 'predictive model not used: falling back to the historical LTV and the heuristic churn risk';
