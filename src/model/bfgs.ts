/** An objective that returns its value and gradient at a point. */
export type SmoothObjective = (point: readonly number[]) => { value: number; gradient: number[] };

export interface BfgsOptions {
  /** Converged when every gradient component is at most this in magnitude (default 1e-7). */
  gradientTolerance?: number;
  /**
   * When no step lowers the objective beyond rounding any more, the search stops there, and the
   * point still counts as converged if every gradient component is at most this (default 1e-5).
   */
  flatGradientTolerance?: number;
  /** Iterations allowed before giving up (default 500). */
  maxIterations?: number;
}

export interface OptimizerResult {
  point: number[];
  value: number;
  gradient: number[];
  iterations: number;
  /** Objective evaluations (each one value and gradient). */
  evaluations: number;
  converged: boolean;
}

const ARMIJO = 1e-4;
const MAX_HALVINGS = 40;
const STALL = 1e-15;

/**
 * Minimises a smooth objective by BFGS (inverse-Hessian updates, the first scaled by sᵀy/yᵀy,
 * updates skipped when the curvature sᵀy is not positive) with a backtracking Armijo line
 * search that also backs away from non-finite values. Deterministic.
 *
 * @example
 * const result = minimizeBfgs(([x, y]) => ({ value: (x! - 1) ** 2 + 10 * (y! + 2) ** 2, gradient: [2 * (x! - 1), 20 * (y! + 2)] }), [0, 0]);
 * // result.point ≈ [1, -2], result.converged === true
 */
export function minimizeBfgs(
  objective: SmoothObjective,
  start: readonly number[],
  options: BfgsOptions = {},
): OptimizerResult {
  const gTol = options.gradientTolerance ?? 1e-7;
  const flatTol = options.flatGradientTolerance ?? 1e-5;
  const maxIterations = options.maxIterations ?? 500;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: number[]) => {
    evaluations++;
    return objective(point);
  };

  let point = [...start];
  let { value, gradient } = evaluate(point);
  const done = (iterations: number, converged: boolean): OptimizerResult => ({
    point,
    value,
    gradient,
    iterations,
    evaluations,
    converged,
  });
  if (!isFiniteAll(value, gradient)) return done(0, false);

  let inverseHessian = identity(n);
  let scaled = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const largest = maxAbs(gradient);
    if (largest <= gTol) return done(iteration, true);
    let direction = multiply(inverseHessian, gradient).map((component) => -component);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      inverseHessian = identity(n);
      scaled = false;
      direction = gradient.map((component) => -component);
      slope = -dot(gradient, gradient);
    }
    const step = lineSearch(evaluate, point, value, direction, slope);
    if (step === null) return done(iteration, largest <= flatTol);

    const s = step.point.map((x, i) => x - point[i]!);
    const y = step.gradient.map((g, i) => g - gradient[i]!);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        inverseHessian = scale(identity(n), sy / dot(y, y));
        scaled = true;
      }
      inverseHessian = bfgsUpdate(inverseHessian, s, y, sy);
    }
    const decrease = value - step.value;
    point = step.point;
    value = step.value;
    gradient = step.gradient;
    // A step that no longer lowers the objective beyond rounding: the surface is flat here
    // (an optimum, or a ridge running to a boundary); more iterations would only crawl.
    if (decrease <= STALL * (1 + Math.abs(value))) return done(iteration + 1, maxAbs(gradient) <= flatTol);
  }
  return done(maxIterations, maxAbs(gradient) <= gTol);
}

/** Halves the step from 1 until the Armijo condition holds at a finite point; null if none does. */
function lineSearch(
  evaluate: (point: number[]) => { value: number; gradient: number[] },
  point: number[],
  value: number,
  direction: number[],
  slope: number,
): { point: number[]; value: number; gradient: number[] } | null {
  let length = 1;
  for (let halving = 0; halving < MAX_HALVINGS; halving++, length /= 2) {
    const candidate = point.map((x, i) => x + length * direction[i]!);
    const result = evaluate(candidate);
    if (isFiniteAll(result.value, result.gradient) && result.value <= value + ARMIJO * length * slope) {
      return { point: candidate, ...result };
    }
  }
  return null;
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(sᵀy). */
function bfgsUpdate(h: number[][], s: number[], y: number[], sy: number): number[][] {
  const rho = 1 / sy;
  const hy = multiply(h, y);
  const yhy = dot(y, hy);
  return h.map((row, i) =>
    row.map(
      (hij, j) =>
        hij - rho * (hy[i]! * s[j]! + s[i]! * hy[j]!) + (rho * rho * yhy + rho) * s[i]! * s[j]!,
    ),
  );
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function scale(m: number[][], factor: number): number[][] {
  return m.map((row) => row.map((x) => x * factor));
}

function multiply(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

function dot(u: readonly number[], v: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i]! * v[i]!;
  return sum;
}

function maxAbs(v: readonly number[]): number {
  return v.reduce((largest, x) => Math.max(largest, Math.abs(x)), 0);
}

function isFiniteAll(value: number, gradient: readonly number[]): boolean {
  return Number.isFinite(value) && gradient.every(Number.isFinite);
}
