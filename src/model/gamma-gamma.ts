import { digamma, logGamma } from './gamma-functions.ts';
import { DistinctRows, fitLogParameters, Indexer, type FitDiagnostics, type FitOptions } from './fit-common.ts';

/**
 * Gamma-Gamma spend parameters (Fader, Hardie & Lee 2005, "RFM and CLV"): a purchase's value is
 * Gamma(p, ν) and ν ~ Gamma(q, v); v is in the money unit of the fitted values.
 */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** One repeat customer: repeat purchases and their mean value. */
export interface GammaGammaCustomer {
  frequency: number;
  monetaryValue: number;
}

export interface GammaGammaFit extends FitDiagnostics {
  params: GammaGammaParams;
}

/**
 * Total Gamma-Gamma log-likelihood of the customers' mean repeat values (the `lifetimes`
 * formula). Only customers with frequency > 0 and monetaryValue > 0 carry information; others
 * are skipped, as in every fit of this model.
 *
 * @example
 * gammaGammaLogLikelihood({ p: 6.25, q: 3.74, v: 15.45 }, cdnowRepeatCustomers);
 */
export function gammaGammaLogLikelihood(
  params: GammaGammaParams,
  customers: Iterable<GammaGammaCustomer>,
): number {
  const data = packGammaGamma(customers);
  return meanLogLikelihood(params, data).value * data.customers;
}

/**
 * Gradient of {@link gammaGammaLogLikelihood} in (p, q, v), analytic (the fit's score).
 *
 * @example
 * gammaGammaLogLikelihoodGradient(fit.params, repeatCustomers); // ≈ [0, 0, 0] at the estimate
 */
export function gammaGammaLogLikelihoodGradient(
  params: GammaGammaParams,
  customers: Iterable<GammaGammaCustomer>,
): number[] {
  const data = packGammaGamma(customers);
  return meanLogLikelihood(params, data).gradient.map((component) => component * data.customers);
}

/**
 * Maximum-likelihood Gamma-Gamma fit by BFGS on the log-parameters (analytic gradient), over customers with
 * frequency > 0 and monetaryValue > 0. Deterministic; reports `problems` instead of throwing,
 * including q ≤ 1, where the mean spend of the population is not finite.
 *
 * @example
 * fitGammaGamma(repeatCustomers).params; // ≈ { p: 6.25, q: 3.74, v: 15.45 } on CDNOW (dollars)
 */
export function fitGammaGamma(
  customers: Iterable<GammaGammaCustomer>,
  options: FitOptions = {},
): GammaGammaFit {
  const data = packGammaGamma(customers);
  const toParams = ([p, q, v]: readonly number[]): GammaGammaParams => ({ p: p!, q: q!, v: v! });
  const fit = fitLogParameters({
    model: 'Gamma-Gamma',
    names: ['p', 'q', 'v'],
    start: startingPoint(data),
    customers: data.customers,
    distinctRows: data.weights.length,
    emptyProblem: 'Gamma-Gamma: no repeat customers with a positive spend to fit',
    meanLogLikelihood: (params) => meanLogLikelihood(toParams(params), data),
    optimizer: options.optimizer,
  });
  const params = toParams(fit.params);
  const problems = [...fit.diagnostics.problems];
  if (data.customers > 0 && !(params.q > 1)) {
    problems.push(`Gamma-Gamma: q = ${params.q} ≤ 1, so the mean spend per purchase is not finite`);
  }
  return { params, ...fit.diagnostics, problems };
}

/**
 * Expected value of a customer's future purchases given x repeat purchases of mean value m:
 * a weighted mean of the population mean p·v/(q − 1) and m, weight p·x / (p·x + q − 1).
 * With x = 0 it is the population mean. Needs q > 1.
 *
 * @example
 * gammaGammaExpectedValue({ p: 6.25, q: 3.74, v: 15.45 }, 0, 0); // 6.25 × 15.45 / 2.74 ≈ 35.24
 */
export function gammaGammaExpectedValue(
  { p, q, v }: GammaGammaParams,
  frequency: number,
  monetaryValue: number,
): number {
  return (p * (v + frequency * Math.max(monetaryValue, 0))) / (p * frequency + q - 1);
}

interface PackedData {
  weights: Float64Array;
  xIndex: Int32Array;
  logMeans: Float64Array;
  means: Float64Array;
  xs: number[];
  customers: number;
}

/** Start at p = 1, q = 2 with v making the population mean p·v/(q − 1) the sample mean. */
function startingPoint(data: PackedData): number[] {
  let total = 0;
  for (let i = 0; i < data.weights.length; i++) total += data.weights[i]! * data.means[i]!;
  const mean = data.customers > 0 ? total / data.customers : 1;
  return [0, Math.log(2), Math.log(mean)];
}

/**
 * Mean log-likelihood and its gradient in (p, q, v). Per customer:
 * ∂/∂p = x·(ψ(px+q) − ψ(px) + log m + log x − log(xm+v)), ∂/∂q = ψ(px+q) − ψ(q) + log v − log(xm+v),
 * ∂/∂v = q/v − (px+q)/(xm+v).
 */
function meanLogLikelihood({ p, q, v }: GammaGammaParams, data: PackedData): { value: number; gradient: number[] } {
  const { xs, weights, xIndex, logMeans, means } = data;
  const logV = Math.log(v);
  const shared = q * logV - logGamma(q);
  const perX = new Float64Array(xs.length);
  const perXdp = new Float64Array(xs.length);
  const perXdq = new Float64Array(xs.length);
  const digammaQ = digamma(q);
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    const px = p * x;
    const digammaPxQ = digamma(px + q);
    perX[k] = shared + logGamma(px + q) - logGamma(px) + px * Math.log(x);
    perXdp[k] = x * (digammaPxQ - digamma(px) + Math.log(x));
    perXdq[k] = digammaPxQ - digammaQ + logV;
  }
  let value = 0;
  let dp = 0;
  let dq = 0;
  let dv = 0;
  for (let i = 0; i < weights.length; i++) {
    const k = xIndex[i]!;
    const w = weights[i]!;
    const x = xs[k]!;
    const px = p * x;
    const total = x * means[i]! + v;
    const logTotal = Math.log(total);
    value += w * (perX[k]! + (px - 1) * logMeans[i]! - (px + q) * logTotal);
    dp += w * (perXdp[k]! + x * (logMeans[i]! - logTotal));
    dq += w * (perXdq[k]! - logTotal);
    dv += w * (q / v - (px + q) / total);
  }
  const n = data.customers;
  return { value: value / n, gradient: [dp / n, dq / n, dv / n] };
}

function packGammaGamma(customers: Iterable<GammaGammaCustomer>): PackedData {
  const rows = new DistinctRows(2);
  let count = 0;
  for (const { frequency: x, monetaryValue: m } of customers) {
    if (!(x > 0 && m > 0 && Number.isFinite(x) && Number.isFinite(m))) continue;
    count++;
    rows.add(x, m);
  }
  const xs = new Indexer();
  const size = rows.size;
  const packed: PackedData = {
    weights: rows.weights.slice(0, size),
    xIndex: new Int32Array(size),
    logMeans: new Float64Array(size),
    means: new Float64Array(size),
    xs: xs.values,
    customers: count,
  };
  for (let i = 0; i < size; i++) {
    const m = rows.value(i, 1);
    packed.xIndex[i] = xs.indexOf(rows.value(i, 0));
    packed.means[i] = m;
    packed.logMeans[i] = Math.log(m);
  }
  return packed;
}
