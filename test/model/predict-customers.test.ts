import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/core/order.ts';
import { fitModels, predictCustomers, type PredictionResult } from '../../src/model/predict-customers.ts';
import { summarizeOrders } from '../../src/model/rfm-summary.ts';
import { CALIBRATION_END, cdnowOrders, PUBLISHED } from './cdnow.ts';

const DAY = 86_400_000;
const ASOF = new Date('2026-06-30T00:00:00Z');

function order(customerId: string, daysBeforeAsOf: number, totalCents: number): Order {
  return {
    id: `${customerId}-${daysBeforeAsOf}`,
    customerId,
    email: null,
    processedAt: ASOF.getTime() - daysBeforeAsOf * DAY,
    totalCents,
    currency: 'USD',
    cancelled: false,
    test: false,
    lines: [],
  };
}

/** Every number anywhere in the result, fits included. */
function numbersIn(result: PredictionResult): number[] {
  const found: number[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'number') found.push(value);
    else if (value instanceof Map) for (const entry of value.values()) walk(entry);
    else if (value && typeof value === 'object') for (const entry of Object.values(value)) walk(entry);
  };
  walk(result);
  return found;
}

function expectFallback(result: PredictionResult, reason: RegExp): void {
  expect(result.status).toBe('fallback');
  expect(result.perCustomer.size).toBe(0);
  expect(result.warnings.join('\n')).toMatch(reason);
  expect(result.warnings.join('\n')).toMatch(/historical/);
  expect(numbersIn(result).every(Number.isFinite)).toBe(true);
}

describe('predictCustomers on CDNOW', () => {
  const result = predictCustomers(cdnowOrders(), CALIBRATION_END, { timeUnit: 'week' });

  it('fits both models and predicts every customer with finite numbers', () => {
    expect(result.status).toBe('fitted');
    expect(result.warnings).toEqual([]);
    expect(result.perCustomer.size).toBe(PUBLISHED.customers);
    expect(result.repeatCustomers).toBe(PUBLISHED.repeatCustomers);
    expect(numbersIn(result).every(Number.isFinite)).toBe(true);
  });

  // Expected values computed apart from tiersync, with mpmath's hyp2f1 (30 digits) in the
  // closed forms of Fader, Hardie & Lee (2005) — E[Y(t) | x, t_x, T] (eq. 10), P(alive) (eq. 11),
  // E[M | x, m̄] = p(v + x·m̄) / (px + q − 1) — at the parameters this fit finds
  // (r 0.242595, α 4.41360, a 0.792922, b 2.42591; p 6.24957, q 3.74422, v 15.4435). With the
  // published parameters they are 1.56233 orders, P(alive) 0.72659 and 24.66 dollars.
  it('combines the models per customer over 365 days: orders × value, in cents', () => {
    // customer 1: order days 1997-01-01, 01-18, 08-02 → x = 2, t_x = 213/7, T = 272/7; repeat mean (29.73 + 14.96)/2
    const prediction = result.perCustomer.get('1')!;
    expect(prediction.expectedOrders365).toBeCloseTo(1.562190, 5);
    expect(prediction.pAlive).toBeCloseTo(0.726620, 5);
    expect(prediction.expectedOrderValueCents).toBe(2465);
    expect(prediction.predictedClvCents).toBe(3851);
  });

  it('gives a one-time buyer P(alive) = 1 and the population mean order value', () => {
    // customer 3 bought once: E[M] = p·v / (q − 1) = 35.17 dollars
    const prediction = result.perCustomer.get('3')!;
    expect(prediction.pAlive).toBe(1);
    expect(prediction.expectedOrderValueCents).toBe(3517);
  });

  it('predicts the same in days as in weeks', () => {
    const days = predictCustomers(cdnowOrders(), CALIBRATION_END, { timeUnit: 'day' });
    for (const id of ['1', '2', '3', '1000']) {
      expect(days.perCustomer.get(id)!.expectedOrders365).toBeCloseTo(result.perCustomer.get(id)!.expectedOrders365, 3);
      expect(days.perCustomer.get(id)!.pAlive).toBeCloseTo(result.perCustomer.get(id)!.pAlive, 4);
    }
  });
});

describe('predictCustomers fallbacks', () => {
  it('falls back for a single customer', () => {
    expectFallback(predictCustomers([order('a', 30, 1000), order('a', 10, 2000)], ASOF), /1 repeat customer\(s\) of 1/);
  });

  it('falls back when everyone bought once', () => {
    const orders = Array.from({ length: 500 }, (_, i) => order(`c${i}`, i % 300, 1000 + i));
    expectFallback(predictCustomers(orders, ASOF), /BG\/NBD: 0 repeat customer\(s\) of 500/);
  });

  it('falls back under 50 repeat customers', () => {
    const orders = Array.from({ length: 200 }, (_, i) => [
      order(`c${i}`, 300 - i, 1500),
      ...(i < 49 ? [order(`c${i}`, 100 - (i % 90), 2500 + 10 * i)] : []),
    ]).flat();
    expectFallback(predictCustomers(orders, ASOF, { timeUnit: 'day' }), /49 repeat customer\(s\) of 200, fewer than the 50/);
  });

  it('falls back when every order is worth nothing, without NaN', () => {
    const orders = Array.from({ length: 120 }, (_, i) => [order(`c${i}`, 200 + i, 0), order(`c${i}`, 50 + (i % 40), 0)]).flat();
    const result = predictCustomers(orders, ASOF, { timeUnit: 'day' });
    expectFallback(result, /Gamma-Gamma: 0 repeat customer\(s\) with a positive spend/);
    // BG/NBD was still fitted on the 120 repeat customers; identical two-order histories leave
    // it unidentified, which is said too.
    expect(result.bgnbd).toMatchObject({ customers: 120, converged: true });
    expect(result.warnings[0]).toMatch(/^BG\/NBD: alpha ran to the boundary \(\d/);
    expect(result.warnings.slice(1)).toEqual([
      'Gamma-Gamma: 0 repeat customer(s) with a positive spend, fewer than the 50 needed for a fit',
      'predictive model not used: falling back to the historical LTV and the heuristic churn risk',
    ]);
  });

  it('falls back when the optimiser is not allowed to converge', () => {
    const result = predictCustomers(cdnowOrders(), CALIBRATION_END, { fit: { optimizer: { maxIterations: 3 } } });
    expectFallback(result, /did not converge/);
  });

  it('falls back on identical histories, where the estimates run to the boundary', () => {
    // 100 customers who each bought on the same two days for the same amount: no spread to fit
    const identical = Array.from({ length: 100 }, (_, i) => [order(`c${i}`, 100, 1000), order(`c${i}`, 50, 1000)]).flat();
    expectFallback(predictCustomers(identical, ASOF, { timeUnit: 'day' }), /ran to the boundary/);
  });

  it('falls back without NaN when everyone first bought at asOf, or there are no orders', () => {
    const sameDay = Array.from({ length: 100 }, (_, i) => [order(`d${i}`, 0, 500 * (i % 3)), order(`d${i}`, 0, 1)]).flat();
    expectFallback(predictCustomers(sameDay, ASOF, { timeUnit: 'day' }), /0 repeat customer\(s\) of 100/);
    expectFallback(predictCustomers([], ASOF), /0 repeat customer\(s\) of 0/);
  });
});

describe('fitModels', () => {
  it('fits BG/NBD alone when told there is no spend data, and says so', () => {
    const summaries = summarizeOrders(cdnowOrders(), CALIBRATION_END, { timeUnit: 'week' });
    const fits = fitModels(summaries, { skipGammaGamma: true });
    expect(fits.bgnbd?.problems).toEqual([]);
    expect(fits.gammaGamma).toBeUndefined();
    expect(fits.status).toBe('fallback');
    expect(fits.warnings).toEqual(['Gamma-Gamma: not fitted (no spend data)']);
  });
});
