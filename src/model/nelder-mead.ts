/** Options for {@link minimizeNelderMead}. */
export interface NelderMeadOptions {
  /** Edge length of the starting simplex along each axis (default 0.5). */
  initialStep?: number;
  /** Stop when the simplex's function values differ by at most this (default 1e-11). */
  functionTolerance?: number;
  /** ... and its vertices differ by at most this in every coordinate (default 1e-8). */
  pointTolerance?: number;
  /** Iterations allowed over all restarts before giving up (default 5000). */
  maxIterations?: number;
  /** Fresh simplices built around the best point after the first converges (default 3). */
  maxRestarts?: number;
}

export interface NelderMeadResult {
  point: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimises `objective` by the Nelder-Mead simplex method (standard coefficients: reflection
 * 1, expansion 2, contraction 0.5, shrink 0.5). Deterministic: the same start gives the same
 * path. A non-finite objective value counts as +Infinity, so the simplex walks away from it.
 * After a simplex converges it is rebuilt around the best point and run again, which guards
 * against the simplex collapsing early on a ridge; `converged` is true only if the last run
 * met both tolerances within `maxIterations`.
 *
 * @example
 * const { point } = minimizeNelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]);
 * // point ≈ [1, -2]
 */
export function minimizeNelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const step = options.initialStep ?? 0.5;
  const fTol = options.functionTolerance ?? 1e-11;
  const xTol = options.pointTolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 5000;
  const maxRestarts = options.maxRestarts ?? 3;
  let evaluations = 0;
  const evaluate = (point: number[]): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

  let best = [...start];
  let bestValue = evaluate(best);
  let iterations = 0;
  let converged = false;
  for (let run = 0; run <= maxRestarts && iterations < maxIterations; run++) {
    const outcome = runSimplex(best, bestValue, step, evaluate, fTol, xTol, maxIterations - iterations);
    iterations += outcome.iterations;
    const improvement = bestValue - outcome.value;
    converged = outcome.converged;
    if (outcome.value <= bestValue) {
      best = outcome.point;
      bestValue = outcome.value;
    }
    if (converged && run > 0 && !(improvement > fTol)) break;
  }
  return { point: best, value: bestValue, iterations, evaluations, converged };
}

function runSimplex(
  start: number[],
  startValue: number,
  step: number,
  evaluate: (point: number[]) => number,
  fTol: number,
  xTol: number,
  iterationBudget: number,
): { point: number[]; value: number; iterations: number; converged: boolean } {
  const n = start.length;
  const points: number[][] = [start];
  const values: number[] = [startValue];
  for (let i = 0; i < n; i++) {
    const vertex = [...start];
    vertex[i]! += step;
    points.push(vertex);
    values.push(evaluate(vertex));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  let iterations = 0;
  while (true) {
    order.sort((i, j) => values[i]! - values[j]! || i - j);
    const bestIndex = order[0]!;
    const worstIndex = order[n]!;
    if (hasConverged(points, values, bestIndex, fTol, xTol)) {
      return { point: points[bestIndex]!, value: values[bestIndex]!, iterations, converged: true };
    }
    if (iterations >= iterationBudget) {
      return { point: points[bestIndex]!, value: values[bestIndex]!, iterations, converged: false };
    }
    iterations++;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) {
      const vertex = points[order[k]!]!;
      for (let d = 0; d < n; d++) centroid[d]! += vertex[d]! / n;
    }
    const worst = points[worstIndex]!;
    const along = (coefficient: number): number[] =>
      centroid.map((c, d) => c + coefficient * (c - worst[d]!));
    const bestValue = values[bestIndex]!;
    const secondWorstValue = values[order[n - 1]!]!;
    const worstValue = values[worstIndex]!;

    const reflected = along(1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < bestValue) {
      const expanded = along(2);
      const expandedValue = evaluate(expanded);
      const useExpanded = expandedValue < reflectedValue;
      points[worstIndex] = useExpanded ? expanded : reflected;
      values[worstIndex] = useExpanded ? expandedValue : reflectedValue;
      continue;
    }
    if (reflectedValue < secondWorstValue) {
      points[worstIndex] = reflected;
      values[worstIndex] = reflectedValue;
      continue;
    }
    const outside = reflectedValue < worstValue;
    const contracted = along(outside ? 0.5 : -0.5);
    const contractedValue = evaluate(contracted);
    if (contractedValue < (outside ? reflectedValue : worstValue)) {
      points[worstIndex] = contracted;
      values[worstIndex] = contractedValue;
      continue;
    }
    const bestPoint = points[bestIndex]!;
    for (let k = 1; k <= n; k++) {
      const index = order[k]!;
      points[index] = points[index]!.map((x, d) => bestPoint[d]! + 0.5 * (x - bestPoint[d]!));
      values[index] = evaluate(points[index]!);
    }
  }
}

function hasConverged(
  points: number[][],
  values: number[],
  bestIndex: number,
  fTol: number,
  xTol: number,
): boolean {
  const bestValue = values[bestIndex]!;
  const bestPoint = points[bestIndex]!;
  if (!Number.isFinite(bestValue)) return false;
  for (let k = 0; k < points.length; k++) {
    if (Math.abs(values[k]! - bestValue) > fTol) return false;
    const vertex = points[k]!;
    for (let d = 0; d < vertex.length; d++) {
      if (Math.abs(vertex[d]! - bestPoint[d]!) > xTol) return false;
    }
  }
  return true;
}
