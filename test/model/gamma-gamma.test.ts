import { describe, expect, it } from 'vitest';
import {
  fitGammaGamma,
  gammaGammaExpectedValue,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodGradient,
} from '../../src/model/gamma-gamma.ts';
import { summarizeOrders } from '../../src/model/rfm-summary.ts';
import { CALIBRATION_END, cdnowOrders, cdnowSummaryRows, PUBLISHED, withinOnePercent } from './cdnow.ts';

describe('Gamma-Gamma log-likelihood', () => {
  it('is log(v/(m+v)²) for one purchase of value m when p = q = 1', () => {
    // Γ(2)/(Γ(1)Γ(1))·v·m⁰·1/(m+v)² with p = q = 1, x = 1
    expect(gammaGammaLogLikelihood({ p: 1, q: 1, v: 2 }, [{ frequency: 1, monetaryValue: 3 }])).toBeCloseTo(Math.log(2 / 25), 12);
  });

  it('skips customers without a repeat purchase or a positive spend', () => {
    const params = { p: 2, q: 3, v: 10 };
    const alone = gammaGammaLogLikelihood(params, [{ frequency: 2, monetaryValue: 15 }]);
    const mixed = gammaGammaLogLikelihood(params, [
      { frequency: 2, monetaryValue: 15 },
      { frequency: 0, monetaryValue: 0 },
      { frequency: 3, monetaryValue: 0 },
    ]);
    expect(mixed).toBeCloseTo(alone, 12);
  });
});

describe('Gamma-Gamma gradient', () => {
  it('matches central differences of the log-likelihood', () => {
    const customers = cdnowSummaryRows().map((row) => ({ frequency: row.x, monetaryValue: row.zbar }));
    const params = { p: 3, q: 5, v: 20 };
    const gradient = gammaGammaLogLikelihoodGradient(params, customers);
    (['p', 'q', 'v'] as const).forEach((name, i) => {
      const h = 1e-6 * params[name];
      const up = gammaGammaLogLikelihood({ ...params, [name]: params[name] + h }, customers);
      const down = gammaGammaLogLikelihood({ ...params, [name]: params[name] - h }, customers);
      expect(gradient[i]! / ((up - down) / (2 * h))).toBeCloseTo(1, 5);
    });
  });
});

describe('fitGammaGamma on CDNOW', () => {
  const expectPublished = (params: { p: number; q: number; v: number }) => {
    expect(withinOnePercent(params.p, PUBLISHED.gammaGamma.p)).toBe(true);
    expect(withinOnePercent(params.q, PUBLISHED.gammaGamma.q)).toBe(true);
    expect(withinOnePercent(params.v, PUBLISHED.gammaGamma.v)).toBe(true);
  };

  it('reproduces p = 6.25, q = 3.74, v = 15.45 on the 946 repeat customers of the summary file', () => {
    const fit = fitGammaGamma(cdnowSummaryRows().map((row) => ({ frequency: row.x, monetaryValue: row.zbar })));
    expect(fit.customers).toBe(PUBLISHED.repeatCustomers);
    expect(fit.converged).toBe(true);
    expect(fit.problems).toEqual([]);
    expectPublished(fit.params);
  });

  it('reproduces them from the orders (dollars = cents / 100)', () => {
    const summaries = summarizeOrders(cdnowOrders(), CALIBRATION_END, { timeUnit: 'week' });
    const fit = fitGammaGamma(summaries.map((s) => ({ frequency: s.frequency, monetaryValue: s.monetaryValueCents / 100 })));
    expect(fit.customers).toBe(PUBLISHED.repeatCustomers);
    expectPublished(fit.params);
  });
});

describe('gammaGammaExpectedValue', () => {
  const params = { p: 6.25, q: 3.74, v: 15.45 };

  it('is the population mean p·v/(q − 1) without a repeat purchase', () => {
    expect(gammaGammaExpectedValue(params, 0, 0)).toBeCloseTo((6.25 * 15.45) / 2.74, 12);
  });

  it('shrinks the customer mean towards the population mean', () => {
    // (p·v + p·x·m)/(p·x + q − 1) with x = 2, m = 20
    expect(gammaGammaExpectedValue(params, 2, 20)).toBeCloseTo((6.25 * 15.45 + 6.25 * 2 * 20) / (12.5 + 2.74), 12);
  });
});
