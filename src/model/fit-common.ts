import { minimizeBfgs, type BfgsOptions } from './bfgs.ts';

/** Options shared by the model fits. */
export interface FitOptions {
  /** Passed to the optimiser (tolerances, iteration cap). */
  optimizer?: BfgsOptions;
}

/** How an optimiser run ended, as every fit reports it. */
export interface FitDiagnostics {
  /** Total log-likelihood at the estimate (a sum over customers, not a mean). */
  logLikelihood: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Customers the fit used. */
  customers: number;
  /** Distinct input rows after identical customers were merged (the likelihood's cost). */
  distinctRows: number;
  /** Why the estimate should not be used; empty when it can be. */
  problems: string[];
}

/**
 * The objective refuses log-parameters beyond ±25 (e^25 ≈ 7e10), so `exp` and the likelihood
 * never overflow; the line search then backs off.
 */
export const LOG_PARAM_LIMIT = 25;
/** What an objective returns beyond {@link LOG_PARAM_LIMIT}. */
export const OUT_OF_BOUNDS = { value: Number.POSITIVE_INFINITY, gradient: [] as number[] } as const;
/** An estimate beyond ±20 in log space (e^20 ≈ 5e8) has run to the boundary: not identified. */
const BOUNDARY = 20;

export interface LogParameterFit {
  /** The estimates, in the order of `names`. */
  readonly params: number[];
  readonly diagnostics: FitDiagnostics;
}

/**
 * Maximum likelihood on log-parameters (so every parameter stays positive), shared by the
 * models: minimises the negative mean log-likelihood with BFGS, the gradient taken through
 * d/d log θ = θ · d/dθ, and reports the total log-likelihood and any problem.
 *
 * @example
 * const { params, diagnostics } = fitLogParameters({ model: 'Gamma-Gamma', names: ['p', 'q', 'v'],
 *   start: [0, 0, 0], customers: 946, distinctRows: 900, emptyProblem: 'no data',
 *   meanLogLikelihood: (p) => likelihood(p) });
 */
export function fitLogParameters(input: {
  readonly model: string;
  readonly names: readonly string[];
  readonly start: number[];
  readonly customers: number;
  readonly distinctRows: number;
  /** What to report when there is nothing to fit. */
  readonly emptyProblem: string;
  /** Mean log-likelihood and its gradient at parameters in the order of `names`. */
  readonly meanLogLikelihood: (params: readonly number[]) => { value: number; gradient: readonly number[] };
  readonly optimizer?: BfgsOptions | undefined;
}): LogParameterFit {
  const objective = (theta: readonly number[]) => {
    if (theta.some((value) => Math.abs(value) > LOG_PARAM_LIMIT)) return OUT_OF_BOUNDS;
    const params = theta.map(Math.exp);
    const { value, gradient } = input.meanLogLikelihood(params);
    return { value: -value, gradient: params.map((param, i) => -param * gradient[i]!) };
  };
  const result = minimizeBfgs(objective, input.start, input.optimizer);
  const logLikelihood = -result.value * input.customers;
  return {
    params: result.point.map(Math.exp),
    diagnostics: {
      logLikelihood,
      converged: result.converged,
      iterations: result.iterations,
      evaluations: result.evaluations,
      customers: input.customers,
      distinctRows: input.distinctRows,
      problems:
        input.customers === 0
          ? [input.emptyProblem]
          : describeFitProblems(input.model, input.names, result.point, logLikelihood, result.converged),
    },
  };
}

/** Problems with an optimiser outcome: non-convergence, boundary estimates, non-finite values. */
export function describeFitProblems(
  model: string,
  names: readonly string[],
  logParams: readonly number[],
  logLikelihood: number,
  converged: boolean,
): string[] {
  const problems: string[] = [];
  if (!converged) problems.push(`${model}: the optimiser did not converge`);
  if (!Number.isFinite(logLikelihood)) problems.push(`${model}: the log-likelihood is not finite`);
  logParams.forEach((value, i) => {
    if (!Number.isFinite(value) || Math.abs(value) > BOUNDARY) {
      problems.push(`${model}: ${names[i]} ran to the boundary (${Math.exp(value)}), the data do not identify the model`);
    }
  });
  return problems;
}

/** Assigns each distinct number a dense index, in order of first appearance. */
export class Indexer {
  readonly values: number[] = [];
  private readonly positions = new Map<number, number>();
  indexOf(value: number): number {
    let position = this.positions.get(value);
    if (position === undefined) {
      position = this.values.length;
      this.positions.set(value, position);
      this.values.push(value);
    }
    return position;
  }
}
