import { logGamma } from './log-gamma.ts';
import { minimizeNelderMead } from './nelder-mead.ts';
import {
  describeFitProblems,
  Indexer,
  LOG_PARAM_LIMIT,
  type FitDiagnostics,
  type FitOptions,
} from './fit-common.ts';

/** BG/NBD parameters: λ ~ Gamma(r, alpha) (alpha in the time unit), p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer: repeat purchases, recency and age, in one time unit. */
export interface BgNbdCustomer {
  frequency: number;
  recency: number;
  T: number;
}

export interface BgNbdFit extends FitDiagnostics {
  params: BgNbdParams;
}

/**
 * The BG/NBD data with identical customers merged and every distinct x, t_x and T listed once,
 * so that one likelihood evaluation costs a few log-gammas per distinct x, one log per distinct
 * t_x or T, and one log-sum-exp per distinct row.
 */
interface PackedData {
  weights: Float64Array;
  xIndex: Int32Array;
  recencyIndex: Int32Array;
  ageIndex: Int32Array;
  xs: number[];
  recencies: number[];
  ages: number[];
  customers: number;
}

/**
 * Total BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) of `customers`, computed as
 * `lifetimes` does: log-gammas for the Beta and Gamma normalisers and a log-sum-exp of the
 * "still alive at T" and "dropped out after t_x" terms.
 *
 * @example
 * bgnbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, cdnowSummary); // ≈ -9582.4
 */
export function bgnbdLogLikelihood(params: BgNbdParams, customers: Iterable<BgNbdCustomer>): number {
  const data = packBgNbd(customers);
  return meanLogLikelihood(params, data) * data.customers;
}

/**
 * Maximum-likelihood BG/NBD fit by Nelder-Mead on the log-parameters. Deterministic. The result
 * lists `problems` (non-convergence, boundary estimates) instead of throwing.
 *
 * @example
 * const fit = fitBgNbd(summaries);
 * // fit.params ≈ { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } on CDNOW (weeks)
 */
export function fitBgNbd(customers: Iterable<BgNbdCustomer>, options: FitOptions = {}): BgNbdFit {
  const data = packBgNbd(customers);
  const names = ['r', 'alpha', 'a', 'b'] as const;
  const toParams = (theta: readonly number[]): BgNbdParams => ({
    r: Math.exp(theta[0]!),
    alpha: Math.exp(theta[1]!),
    a: Math.exp(theta[2]!),
    b: Math.exp(theta[3]!),
  });
  const objective = (theta: readonly number[]): number =>
    theta.some((value) => Math.abs(value) > LOG_PARAM_LIMIT)
      ? Number.POSITIVE_INFINITY
      : -meanLogLikelihood(toParams(theta), data);
  const result = minimizeNelderMead(objective, startingPoint(data), options.nelderMead);
  const logLikelihood = -result.value * data.customers;
  return {
    params: toParams(result.point),
    logLikelihood,
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers: data.customers,
    distinctRows: data.weights.length,
    problems:
      data.customers === 0
        ? ['BG/NBD: no customers to fit']
        : describeFitProblems('BG/NBD', names, result.point, logLikelihood, result.converged),
  };
}

/** Start at r = a = b = 1 with alpha matching the mean purchase rate (alpha is a time scale). */
function startingPoint(data: PackedData): number[] {
  let repeats = 0;
  let exposure = 0;
  for (let i = 0; i < data.weights.length; i++) {
    repeats += data.weights[i]! * data.xs[data.xIndex[i]!]!;
    exposure += data.weights[i]! * data.ages[data.ageIndex[i]!]!;
  }
  const alpha = exposure > 0 ? exposure / Math.max(repeats, 1) : 1;
  return [0, Math.log(alpha), 0, 0];
}

function meanLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: PackedData): number {
  const { xs, recencies, ages } = data;
  const shared = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
  const perX = new Float64Array(xs.length);
  const dropTerm = new Float64Array(xs.length);
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    perX[k] = shared + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    dropTerm[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
  }
  const logAgeTerm = Float64Array.from(ages, (age) => Math.log(alpha + age));
  const logRecencyTerm = Float64Array.from(recencies, (recency) => Math.log(alpha + recency));

  let total = 0;
  const { weights, xIndex, recencyIndex, ageIndex } = data;
  for (let i = 0; i < weights.length; i++) {
    const k = xIndex[i]!;
    const shape = r + xs[k]!;
    const alive = -shape * logAgeTerm[ageIndex[i]!]!;
    const dropped = dropTerm[k]! - shape * logRecencyTerm[recencyIndex[i]!]!;
    const high = alive > dropped ? alive : dropped;
    const low = alive > dropped ? dropped : alive;
    total += weights[i]! * (perX[k]! + high + Math.log1p(Math.exp(low - high)));
  }
  return total / data.customers;
}

function packBgNbd(customers: Iterable<BgNbdCustomer>): PackedData {
  const rows = new Map<string, { x: number; tx: number; T: number; weight: number }>();
  let count = 0;
  for (const { frequency: x, recency: tx, T } of customers) {
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= T && Number.isFinite(T))) {
      throw new RangeError(`BG/NBD input row ${count}: need integer frequency ≥ 0 and 0 ≤ recency ≤ T (got ${x}, ${tx}, ${T})`);
    }
    count++;
    const key = `${x}|${tx}|${T}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { x, tx, T, weight: 1 });
  }
  const xs = new Indexer();
  const recencies = new Indexer();
  const ages = new Indexer();
  const size = rows.size;
  const packed: PackedData = {
    weights: new Float64Array(size),
    xIndex: new Int32Array(size),
    recencyIndex: new Int32Array(size),
    ageIndex: new Int32Array(size),
    xs: xs.values,
    recencies: recencies.values,
    ages: ages.values,
    customers: count,
  };
  let i = 0;
  for (const row of rows.values()) {
    packed.weights[i] = row.weight;
    packed.xIndex[i] = xs.indexOf(row.x);
    packed.recencyIndex[i] = recencies.indexOf(row.tx);
    packed.ageIndex[i] = ages.indexOf(row.T);
    i++;
  }
  return packed;
}
