import { digamma, logGamma } from './gamma-functions.ts';
import { DistinctRows, fitLogParameters, Indexer, type FitDiagnostics, type FitOptions } from './fit-common.ts';

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
 * The BG/NBD data with identical customers merged, grouped by x, and every distinct t_x and T
 * listed once, so that one evaluation costs a few (di)gammas per distinct x, one log per
 * distinct t_x or T, and one log-sum-exp per distinct row.
 */
interface PackedData {
  /** Rows of group k are groupStart[k] .. groupStart[k + 1] − 1; their x is groupX[k]. */
  groupStart: Int32Array;
  groupX: Float64Array;
  weights: Float64Array;
  recencyIndex: Int32Array;
  ageIndex: Int32Array;
  recencies: Float64Array;
  ages: Float64Array;
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
  return meanLogLikelihood(params, data).value * data.customers;
}

/**
 * Gradient of {@link bgnbdLogLikelihood} in (r, alpha, a, b), analytic (the fit's score).
 *
 * @example
 * bgnbdLogLikelihoodGradient(fit.params, summaries); // ≈ [0, 0, 0, 0] at the estimate
 */
export function bgnbdLogLikelihoodGradient(params: BgNbdParams, customers: Iterable<BgNbdCustomer>): number[] {
  const data = packBgNbd(customers);
  return meanLogLikelihood(params, data).gradient.map((component) => component * data.customers);
}

/**
 * Maximum-likelihood BG/NBD fit by BFGS on the log-parameters with the analytic gradient.
 * Deterministic. The result lists `problems` (non-convergence, boundary estimates) instead of
 * throwing.
 *
 * @example
 * const fit = fitBgNbd(summaries);
 * // fit.params ≈ { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } on CDNOW (weeks)
 */
export function fitBgNbd(customers: Iterable<BgNbdCustomer>, options: FitOptions = {}): BgNbdFit {
  const data = packBgNbd(customers);
  const toParams = ([r, alpha, a, b]: readonly number[]): BgNbdParams => ({ r: r!, alpha: alpha!, a: a!, b: b! });
  const fit = fitLogParameters({
    model: 'BG/NBD',
    names: ['r', 'alpha', 'a', 'b'],
    start: startingPoint(data),
    customers: data.customers,
    distinctRows: data.weights.length,
    emptyProblem: 'BG/NBD: no customers to fit',
    meanLogLikelihood: (params) => meanLogLikelihood(toParams(params), data),
    optimizer: options.optimizer,
  });
  return { params: toParams(fit.params), ...fit.diagnostics };
}

/** Start at r = a = b = 1 with alpha matching the mean purchase rate (alpha is a time scale). */
function startingPoint(data: PackedData): number[] {
  let repeats = 0;
  let exposure = 0;
  for (let k = 0; k < data.groupX.length; k++) {
    for (let i = data.groupStart[k]!; i < data.groupStart[k + 1]!; i++) {
      repeats += data.weights[i]! * data.groupX[k]!;
      exposure += data.weights[i]! * data.ages[data.ageIndex[i]!]!;
    }
  }
  const alpha = exposure > 0 ? exposure / Math.max(repeats, 1) : 1;
  return [0, Math.log(alpha), 0, 0];
}

/**
 * Mean log-likelihood and its gradient in (r, alpha, a, b). Per row, with σ the weight of the
 * dropped-out branch in the log-sum-exp:
 * ∂/∂r = log α − ψ(r) + ψ(r+x) − log(α+T) + σ·(log(α+T) − log(α+t_x)),
 * ∂/∂α = r/α − (r+x)/(α+T) + σ·(r+x)·(1/(α+T) − 1/(α+t_x)),
 * ∂/∂a = ψ(a+b) − ψ(a+b+x) + σ/a,  ∂/∂b = ψ(a+b) − ψ(b) + ψ(b+x) − ψ(a+b+x) − σ/(b+x−1).
 */
function meanLogLikelihood({ r, alpha, a, b }: BgNbdParams, data: PackedData): { value: number; gradient: number[] } {
  const { groupStart, groupX, weights, recencyIndex, ageIndex, recencies, ages } = data;
  const logAge = new Float64Array(ages.length);
  const inverseAge = new Float64Array(ages.length);
  for (let j = 0; j < ages.length; j++) {
    logAge[j] = Math.log(alpha + ages[j]!);
    inverseAge[j] = 1 / (alpha + ages[j]!);
  }
  const logRecency = new Float64Array(recencies.length);
  const inverseRecency = new Float64Array(recencies.length);
  for (let j = 0; j < recencies.length; j++) {
    logRecency[j] = Math.log(alpha + recencies[j]!);
    inverseRecency[j] = 1 / (alpha + recencies[j]!);
  }
  const logAlpha = Math.log(alpha);
  const shared = r * logAlpha - logGamma(r) + logGamma(a + b) - logGamma(b);
  const digammaR = digamma(r);
  const digammaAB = digamma(a + b);
  const digammaB = digamma(b);

  let value = 0;
  let dr = 0;
  let dAlpha = 0;
  let da = 0;
  let db = 0;
  for (let k = 0; k < groupX.length; k++) {
    const x = groupX[k]!;
    const shape = r + x;
    const dropTerm = x > 0 ? Math.log(a) - Math.log(b + x - 1) : Number.NEGATIVE_INFINITY;
    let groupWeight = 0;
    let groupValue = 0;
    let groupSigma = 0;
    for (let i = groupStart[k]!; i < groupStart[k + 1]!; i++) {
      const w = weights[i]!;
      const age = ageIndex[i]!;
      const recency = recencyIndex[i]!;
      // alive = −shape·log(α+T); dropped = dropTerm − shape·log(α+t_x); ll = alive + softplus(dropped − alive)
      const gap = logAge[age]! - logRecency[recency]!;
      const d = dropTerm + shape * gap;
      const e = Math.exp(-Math.abs(d));
      const softplus = d > 0 ? d + Math.log1p(e) : Math.log1p(e);
      const sigma = d > 0 ? 1 / (1 + e) : e / (1 + e);
      groupWeight += w;
      groupValue += w * (softplus - shape * logAge[age]!);
      groupSigma += w * sigma;
      dr += w * (sigma * gap - logAge[age]!);
      dAlpha += w * shape * (sigma * (inverseAge[age]! - inverseRecency[recency]!) - inverseAge[age]!);
    }
    const digammaABX = digamma(a + b + x);
    value += groupValue + groupWeight * (shared + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x));
    dr += groupWeight * (logAlpha - digammaR + digamma(r + x));
    dAlpha += groupWeight * (r / alpha);
    da += groupWeight * (digammaAB - digammaABX) + (x > 0 ? groupSigma / a : 0);
    db += groupWeight * (digammaAB - digammaB + digamma(b + x) - digammaABX) - (x > 0 ? groupSigma / (b + x - 1) : 0);
  }
  const n = data.customers;
  return { value: value / n, gradient: [dr / n, dAlpha / n, da / n, db / n] };
}

function packBgNbd(customers: Iterable<BgNbdCustomer>): PackedData {
  const rows = new DistinctRows(3);
  let count = 0;
  for (const { frequency: x, recency: tx, T } of customers) {
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= T && Number.isFinite(T))) {
      throw new RangeError(`BG/NBD input row ${count}: need integer frequency ≥ 0 and 0 ≤ recency ≤ T (got ${x}, ${tx}, ${T})`);
    }
    count++;
    rows.add(x, tx, T);
  }
  // By x, rows of the same x in order of first appearance.
  const sorted = Int32Array.from({ length: rows.size }, (_, row) => row).sort((p, q) => rows.value(p, 0) - rows.value(q, 0) || p - q);
  const recencies = new Indexer();
  const ages = new Indexer();
  const size = sorted.length;
  const weights = new Float64Array(size);
  const recencyIndex = new Int32Array(size);
  const ageIndex = new Int32Array(size);
  const groupX: number[] = [];
  const groupStart: number[] = [];
  sorted.forEach((row, i) => {
    const x = rows.value(row, 0);
    if (groupX[groupX.length - 1] !== x) {
      groupX.push(x);
      groupStart.push(i);
    }
    weights[i] = rows.weights[row]!;
    recencyIndex[i] = recencies.indexOf(rows.value(row, 1));
    ageIndex[i] = ages.indexOf(rows.value(row, 2));
  });
  groupStart.push(size);
  return {
    groupStart: Int32Array.from(groupStart),
    groupX: Float64Array.from(groupX),
    weights,
    recencyIndex,
    ageIndex,
    recencies: Float64Array.from(recencies.values),
    ages: Float64Array.from(ages.values),
    customers: count,
  };
}
