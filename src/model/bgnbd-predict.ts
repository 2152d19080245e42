import type { BgNbdCustomer, BgNbdParams } from './bgnbd.ts';

/**
 * P(alive at T | x, t_x, T) under BG/NBD (Fader, Hardie & Lee 2005, eq. 11):
 * 1 / (1 + [x > 0] · a / (b + x − 1) · ((alpha + T) / (alpha + t_x))^(r + x)), computed from the
 * log of the odds so that large exponents give 0 instead of NaN. A customer with no repeat
 * purchase has never had a chance to drop out: P(alive) = 1.
 *
 * @example
 * bgnbdProbabilityAlive(params, { frequency: 0, recency: 0, T: 38.86 }); // 1
 */
export function bgnbdProbabilityAlive(
  { r, alpha, a, b }: BgNbdParams,
  { frequency: x, recency, T }: BgNbdCustomer,
): number {
  if (x === 0) return 1;
  const logOdds =
    Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + recency));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in the next `t` time units of a customer with history (x, t_x, T)
 * (Fader, Hardie & Lee 2005, eq. 10): P(alive) times the expected purchases of a customer alive
 * at T whose posterior is r + x, alpha + T, a, b + x. Returns NaN only if the hypergeometric
 * series fails to converge (parameters far outside any fitted range).
 *
 * @example
 * bgnbdExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 52, { frequency: 2, recency: 30.43, T: 38.86 });
 */
export function bgnbdExpectedPurchases(
  params: BgNbdParams,
  t: number,
  customer: BgNbdCustomer,
): number {
  if (t <= 0) return 0;
  return bgnbdProbabilityAlive(params, customer) * bgnbdExpectedPurchasesIfAlive(params, t, customer.frequency, customer.T);
}

/**
 * The second factor of {@link bgnbdExpectedPurchases} (t > 0): the expected purchases in the
 * next `t` time units of a customer known to be alive at age `T` with `frequency` repeat
 * purchases. It depends on neither recency nor spend, so customers sharing (frequency, T),
 * many in a large shop, can share it.
 *
 * @example
 * bgnbdExpectedPurchasesIfAlive({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 52, 2, 38.86);
 */
export function bgnbdExpectedPurchasesIfAlive({ r, alpha, a, b }: BgNbdParams, t: number, frequency: number, T: number): number {
  return expectedPurchasesWhileAlive(t, r + frequency, alpha + T, a, b + frequency);
}

const SERIES_TOLERANCE = 1e-15;
const SERIES_MAX_TERMS = 1_000_000;

/**
 * E[X(t)] for a customer alive at time 0 with λ ~ Gamma(r, alpha), p ~ Beta(a, b) (FHL eq. 9):
 * (a + b − 1)/(a − 1) · [1 − (alpha/(alpha + t))^r · 2F1(r, b; a + b − 1; z)], z = t/(alpha + t).
 *
 * Euler's transformation 2F1(r, b; c; z) = (1 − z)^(c − r − b) · 2F1(c − r, c − b; c; z) makes
 * the bracket 1 − (1 − z)^(a − 1) · 2F1(a + b − 1 − r, a − 1; a + b − 1; z), whose series has
 * bounded terms (it is the alternative form `lifetimes` falls back to). Dividing the leading
 * factor into the series term by term removes the removable singularities at a = 1 and
 * a + b = 1:  E = c·h − (1 − z)^(a − 1) · Σ_{n≥1} s_n, with c = a + b − 1,
 * h = (1 − (1 − z)^(a − 1))/(a − 1) (→ −log(1 − z) at a = 1), s_1 = (c − r)·z and
 * s_{n+1} = s_n · (c − r + n)(a − 1 + n) z / ((c + n)(n + 1)).
 */
function expectedPurchasesWhileAlive(t: number, r: number, alpha: number, a: number, b: number): number {
  const z = t / (alpha + t);
  const logOneMinusZ = Math.log(alpha) - Math.log(alpha + t);
  const e = a - 1;
  const c = a + b - 1;
  const h =
    Math.abs(e) < 1e-8
      ? -logOneMinusZ * (1 + (e * -logOneMinusZ) / 2)
      : -Math.expm1(e * logOneMinusZ) / e;
  const A = c - r;
  let term = A * z;
  let sum = term;
  let converged = term === 0;
  for (let n = 1; n < SERIES_MAX_TERMS && !converged; n++) {
    const ratio = ((A + n) * (e + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    converged = term === 0 || (Math.abs(ratio) < 1 && Math.abs(term) <= SERIES_TOLERANCE * Math.abs(sum));
  }
  if (!converged) return Number.NaN;
  return c * h - Math.exp(e * logOneMinusZ) * sum;
}
