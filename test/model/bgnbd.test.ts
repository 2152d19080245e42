import { describe, expect, it } from 'vitest';
import { bgnbdLogLikelihood, bgnbdLogLikelihoodGradient, fitBgNbd, type BgNbdParams } from '../../src/model/bgnbd.ts';
import { bgnbdExpectedPurchases, bgnbdProbabilityAlive } from '../../src/model/bgnbd-predict.ts';
import { summarizeOrders } from '../../src/model/rfm-summary.ts';
import { CALIBRATION_END, cdnowOrders, cdnowSummaryRows, PUBLISHED, withinOnePercent } from './cdnow.ts';

function expectPublishedFit(params: BgNbdParams, logLikelihood: number): void {
  expect(withinOnePercent(params.r, PUBLISHED.bgnbd.r)).toBe(true);
  expect(withinOnePercent(params.alpha, PUBLISHED.bgnbd.alpha)).toBe(true);
  expect(withinOnePercent(params.a, PUBLISHED.bgnbd.a)).toBe(true);
  expect(withinOnePercent(params.b, PUBLISHED.bgnbd.b)).toBe(true);
  expect(logLikelihood).toBeCloseTo(PUBLISHED.logLikelihood, 0);
}

describe('BG/NBD log-likelihood', () => {
  it('is r·log(α/(α+T)) for a customer with no repeat purchase', () => {
    const params = { r: 2, alpha: 3, a: 0.5, b: 4 };
    expect(bgnbdLogLikelihood(params, [{ frequency: 0, recency: 0, T: 5 }])).toBeCloseTo(2 * Math.log(3 / 8), 12);
  });

  it('adds the dropped-out branch for a repeat customer (FHL eq. 6 by hand)', () => {
    // r = α = a = b = 1, x = 1, t_x = 1, T = 2:
    // L = B(1,2)/B(1,1)·(1+2)^-2 + B(2,1)/B(1,1)·(1+1)^-2 = 1/2·1/9 + 1/2·1/4 = 13/72
    const params = { r: 1, alpha: 1, a: 1, b: 1 };
    expect(bgnbdLogLikelihood(params, [{ frequency: 1, recency: 1, T: 2 }])).toBeCloseTo(Math.log(13 / 72), 12);
  });

  it('sums over customers, merged duplicates included', () => {
    const params = { r: 0.7, alpha: 2, a: 0.9, b: 3 };
    const one = { frequency: 3, recency: 5, T: 9 };
    const other = { frequency: 0, recency: 0, T: 4 };
    const total = bgnbdLogLikelihood(params, [one]) * 2 + bgnbdLogLikelihood(params, [other]);
    expect(bgnbdLogLikelihood(params, [one, other, one])).toBeCloseTo(total, 10);
  });

  it('is finite for heavy buyers whose likelihood terms underflow', () => {
    const value = bgnbdLogLikelihood({ r: 0.2, alpha: 4, a: 0.8, b: 2.4 }, [{ frequency: 2000, recency: 100, T: 100.5 }]);
    expect(Number.isFinite(value)).toBe(true);
  });
});

describe('BG/NBD gradient', () => {
  it('matches central differences of the log-likelihood', () => {
    const customers = cdnowSummaryRows().map((row) => ({ frequency: row.x, recency: row.tx, T: row.T }));
    const params = { r: 0.4, alpha: 6, a: 1.3, b: 1.9 };
    const gradient = bgnbdLogLikelihoodGradient(params, customers);
    (['r', 'alpha', 'a', 'b'] as const).forEach((name, i) => {
      const h = 1e-6 * params[name];
      const up = bgnbdLogLikelihood({ ...params, [name]: params[name] + h }, customers);
      const down = bgnbdLogLikelihood({ ...params, [name]: params[name] - h }, customers);
      expect(gradient[i]! / ((up - down) / (2 * h))).toBeCloseTo(1, 5);
    });
  });
});

describe('fitBgNbd on CDNOW', () => {
  it('reproduces the published estimates from the summary file', () => {
    const customers = cdnowSummaryRows().map((row) => ({ frequency: row.x, recency: row.tx, T: row.T }));
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.problems).toEqual([]);
    expect(fit.customers).toBe(PUBLISHED.customers);
    expectPublishedFit(fit.params, fit.logLikelihood);
    for (const component of bgnbdLogLikelihoodGradient(fit.params, customers)) expect(Math.abs(component)).toBeLessThan(1e-2);
  });

  it('reproduces the published estimates from the orders, as of 1997-09-30 in weeks', () => {
    const fit = fitBgNbd(summarizeOrders(cdnowOrders(), CALIBRATION_END, { timeUnit: 'week' }));
    expect(fit.converged).toBe(true);
    expectPublishedFit(fit.params, fit.logLikelihood);
  });

  it('gives the same model in days: alpha scales by 7, the rest is unchanged', () => {
    const orders = cdnowOrders();
    const weeks = fitBgNbd(summarizeOrders(orders, CALIBRATION_END, { timeUnit: 'week' })).params;
    const days = fitBgNbd(summarizeOrders(orders, CALIBRATION_END, { timeUnit: 'day' })).params;
    expect(days.alpha / 7).toBeCloseTo(weeks.alpha, 3);
    expect(days.r).toBeCloseTo(weeks.r, 4);
    expect(days.a).toBeCloseTo(weeks.a, 4);
    expect(days.b).toBeCloseTo(weeks.b, 4);
  });
});

describe('P(alive)', () => {
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  it('is 1 for a customer with no repeat purchase, whatever their age', () => {
    expect(bgnbdProbabilityAlive(params, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    expect(bgnbdProbabilityAlive(params, { frequency: 0, recency: 0, T: 1e6 })).toBe(1);
  });

  it('matches FHL eq. 11 by hand', () => {
    // odds = a/(b + x − 1)·((α+T)/(α+t_x))^(r+x) = 1/2·(3/2)² = 9/8 → P = 8/17
    expect(bgnbdProbabilityAlive({ r: 1, alpha: 1, a: 1, b: 2 }, { frequency: 1, recency: 1, T: 2 })).toBeCloseTo(8 / 17, 14);
  });

  it('falls towards 0, not NaN, for a frequent buyer long gone', () => {
    const p = bgnbdProbabilityAlive(params, { frequency: 500, recency: 1, T: 1000 });
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(1e-100);
  });
});

describe('expected purchases', () => {
  /** E[X(t)] of a new customer by direct integration over p ~ Beta(a, b) (a, b > 1: smooth integrand). */
  function integrated(t: number, { r, alpha, a, b }: BgNbdParams): number {
    const steps = 100_000;
    let weighted = 0;
    let weight = 0;
    for (let i = 0; i < steps; i++) {
      const p = (i + 0.5) / steps;
      const density = p ** (a - 1) * (1 - p) ** (b - 1);
      weighted += (density * (1 - (alpha / (alpha + p * t)) ** r)) / p;
      weight += density;
    }
    return weighted / weight;
  }
  const newCustomer = { frequency: 0, recency: 0, T: 0 };

  it.each([
    { r: 0.7, alpha: 3, a: 1.5, b: 2.5 },
    { r: 2, alpha: 10, a: 3, b: 1.2 },
    { r: 0.25, alpha: 4, a: 1.2, b: 8 },
  ])('matches a numerical integral of (1 − e^(−λpt))/p for %o', (params) => {
    expect(bgnbdExpectedPurchases(params, 20, newCustomer)).toBeCloseTo(integrated(20, params), 6);
  });

  it('is continuous through a = 1, where the closed form has a removable singularity', () => {
    const at = (a: number) => bgnbdExpectedPurchases({ r: 0.7, alpha: 3, a, b: 0.4 }, 20, { frequency: 2, recency: 3, T: 5 });
    expect(at(1)).toBeCloseTo((at(1 - 1e-6) + at(1 + 1e-6)) / 2, 6);
  });

  it('agrees with the untransformed hypergeometric form of lifetimes for a CDNOW customer', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const customer = { frequency: 2, recency: 30.43, T: 38.86 };
    const t = 10;
    // lifetimes: (a+b+x−1)/(a−1)·[1 − 2F1(r+x, b+x; a+b+x−1; z)·((α+T)/(α+T+t))^(r+x)] / (1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x))
    const { r, alpha, a, b } = params;
    const x = customer.frequency;
    const z = t / (alpha + customer.T + t);
    let term = 1;
    let hyp = 1;
    for (let n = 0; n < 500; n++) {
      term *= ((r + x + n) * (b + x + n) * z) / ((a + b + x - 1 + n) * (n + 1));
      hyp += term;
    }
    const numerator = ((a + b + x - 1) / (a - 1)) * (1 - hyp * ((alpha + customer.T) / (alpha + customer.T + t)) ** (r + x));
    const denominator = 1 + (a / (b + x - 1)) * ((alpha + customer.T) / (alpha + customer.recency)) ** (r + x);
    expect(bgnbdExpectedPurchases(params, t, customer)).toBeCloseTo(numerator / denominator, 10);
  });

  it('is 0 over an empty horizon and grows with the horizon', () => {
    const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const customer = { frequency: 3, recency: 20, T: 30 };
    expect(bgnbdExpectedPurchases(params, 0, customer)).toBe(0);
    const values = [1, 10, 52, 520].map((t) => bgnbdExpectedPurchases(params, t, customer));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
  });
});
