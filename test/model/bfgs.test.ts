import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from '../../src/model/bfgs.ts';

const rosenbrock = ([x, y]: readonly number[]) => ({
  value: 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2,
  gradient: [-400 * x! * (y! - x! ** 2) - 2 * (1 - x!), 200 * (y! - x! ** 2)],
});

describe('minimizeBfgs', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
  });

  it('solves a quadratic in a few iterations', () => {
    // f = (x − 3)² + 10·(y + 1)² + x·y, minimum where 2(x − 3) + y = 0 and 20(y + 1) + x = 0
    const quadratic = ([x, y]: readonly number[]) => ({
      value: (x! - 3) ** 2 + 10 * (y! + 1) ** 2 + x! * y!,
      gradient: [2 * (x! - 3) + y!, 20 * (y! + 1) + x!],
    });
    const result = minimizeBfgs(quadratic, [0, 0]);
    // y = 6 − 2x from the first, then 20(7 − 2x) + x = 0: x = 140/39, y = −46/39
    expect(result.point[0]).toBeCloseTo(140 / 39, 8);
    expect(result.point[1]).toBeCloseTo(-46 / 39, 8);
    expect(result.iterations).toBeLessThanOrEqual(20);
  });

  it('is deterministic: the same start takes the same path', () => {
    expect(minimizeBfgs(rosenbrock, [-1.2, 1])).toEqual(minimizeBfgs(rosenbrock, [-1.2, 1]));
  });

  it('backs away from where the objective is not finite', () => {
    // x − log x on x > 0, NaN elsewhere; the first full step from 3 lands at a negative x
    const barrier = ([x]: readonly number[]) =>
      x! <= 0 ? { value: Number.NaN, gradient: [Number.NaN] } : { value: x! - Math.log(x!), gradient: [1 - 1 / x!] };
    const result = minimizeBfgs(barrier, [30]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
  });

  it('reports non-convergence when the iteration budget runs out', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
  });

  it('does not claim convergence from a non-finite start', () => {
    const result = minimizeBfgs(() => ({ value: Number.POSITIVE_INFINITY, gradient: [0] }), [1]);
    expect(result.converged).toBe(false);
  });
});
