import { logGamma } from '../model/gamma-functions.ts';

/**
 * The two-sided critical value of Student's t for `df` degrees of freedom (fractional df, as
 * Welch's test produces, allowed): t such that P(|T| ≤ t) = confidence. Bisection on the CDF,
 * which is the regularized incomplete beta function (Numerical Recipes §6.4, Lentz's
 * continued fraction), to 1e-12.
 *
 * @example
 * studentTCritical(10, 0.95); // 2.228138851986...
 */
export function studentTCritical(df: number, confidence: number): number {
  if (!(df > 0)) throw new RangeError(`studentTCritical: df must be > 0 (got ${df})`);
  const tail = (1 - confidence) / 2;
  let low = 0;
  let high = 1;
  while (upperTail(high, df) > tail) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (upperTail(mid, df) > tail) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** P(T > t) for t ≥ 0: I_x(df/2, 1/2) / 2 with x = df / (df + t²). */
function upperTail(t: number, df: number): number {
  return regularizedBeta(df / (df + t * t), df / 2, 0.5) / 2;
}

function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + even / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    result *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + odd / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    result *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return result;
}
