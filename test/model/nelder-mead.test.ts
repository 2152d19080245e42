import { describe, expect, it } from 'vitest';
import { minimizeNelderMead } from '../../src/model/nelder-mead.ts';

const rosenbrock = ([x, y]: readonly number[]) => 100 * (y! - x! ** 2) ** 2 + (1 - x!) ** 2;

describe('minimizeNelderMead', () => {
  it('finds the minimum of the Rosenbrock valley', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { functionTolerance: 1e-14, pointTolerance: 1e-9 });
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(1, 5);
  });

  it('is deterministic: the same start takes the same path', () => {
    const first = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    const second = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(second).toEqual(first);
  });

  it('walks away from where the objective is not finite', () => {
    const logBarrier = ([x]: readonly number[]) => (x! <= 0 ? Number.NaN : x! - Math.log(x!));
    const result = minimizeNelderMead(logBarrier, [3]);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(Number.isFinite(result.value)).toBe(true);
  });

  it('reports non-convergence when the iteration budget runs out', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 10 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(10);
  });
});
