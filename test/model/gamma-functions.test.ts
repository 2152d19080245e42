import { describe, expect, it } from 'vitest';
import { digamma, logGamma } from '../../src/model/gamma-functions.ts';

describe('logGamma', () => {
  it('is log((n − 1)!) at the integers', () => {
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      expect(logGamma(n)).toBeCloseTo(logFactorial, 10);
      logFactorial += Math.log(n);
    }
  });

  it('matches known values at fractions, including below 0.5', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    expect(logGamma(1 / 3)).toBeCloseTo(Math.log(2.678938534707747633), 13);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 13);
    // Γ(x) ≈ 1/x − γ for small x (γ = Euler's constant)
    expect(logGamma(1e-8)).toBeCloseTo(Math.log(1e8 - 0.5772156649), 8);
  });

  it('stays finite for large arguments where Γ itself overflows', () => {
    const x = 1e6;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
    expect(logGamma(x)).toBeCloseTo(stirling, 4);
  });

  it('is NaN outside its domain instead of a wrong number', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1.5)).toBeNaN();
  });
});

describe('digamma', () => {
  it('matches known values', () => {
    const eulerGamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-eulerGamma, 13);
    expect(digamma(0.5)).toBeCloseTo(-eulerGamma - 2 * Math.log(2), 13);
    expect(digamma(10)).toBeCloseTo(-eulerGamma + [1, 2, 3, 4, 5, 6, 7, 8, 9].reduce((s, k) => s + 1 / k, 0), 12);
  });

  it('is the derivative of logGamma', () => {
    for (const x of [0.01, 0.3, 1.7, 5.5, 6.5, 42, 1e4]) {
      const h = 1e-5 * Math.max(1, x);
      expect(digamma(x)).toBeCloseTo((logGamma(x + h) - logGamma(x - h)) / (2 * h), x < 0.1 ? 3 : 6);
    }
  });
});
