import { describe, expect, it } from 'vitest';
import type { PredictionResult } from '../../src/model/predict-customers.ts';
import { describeModel } from '../../src/report/summary-text.ts';

const diagnostics = { logLikelihood: -1, converged: true, iterations: 20, evaluations: 30, distinctRows: 900, problems: [] };

function fitted(repeatCustomers: number, spenders: number): PredictionResult {
  return {
    status: 'fitted',
    warnings: [],
    bgnbd: { ...diagnostics, customers: 2357, params: { r: 0.2426, alpha: 4.414, a: 0.7929, b: 2.426 } },
    gammaGamma: { ...diagnostics, customers: spenders, params: { p: 6.25, q: 3.744, v: 15.44 } },
    customers: 2357,
    repeatCustomers,
    timeUnit: 'week',
    perCustomer: new Map(),
  };
}

describe('describeModel', () => {
  it('prints the parameters and one repeat-customer count when both fits saw the same customers', () => {
    expect(describeModel(fitted(946, 946))).toBe(
      'predictive model: BG/NBD r=0.243 α=4.41 a=0.793 b=2.43; Gamma-Gamma p=6.25 q=3.74 v=15.4 (946 repeat customers)',
    );
  });

  it('says why Gamma-Gamma counts fewer repeat customers', () => {
    expect(describeModel(fitted(1243, 1235))).toMatch(/\(1243 repeat customers, 1235 of them with a positive repeat spend for Gamma-Gamma\)$/);
  });
});
