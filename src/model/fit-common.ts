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

/**
 * Distinct rows of two or three numbers with how often each came, numbered in order of first
 * appearance: an open-addressing table over typed arrays, where a Map keyed by the row's text
 * cost a string and an object per customer (a second of a million-customer fit). Rows are
 * equal when their numbers are (0 and -0 alike, as their text is).
 */
export class DistinctRows {
  size = 0;
  values: Float64Array;
  weights: Float64Array;
  private slots: Int32Array;
  private readonly bits = new Float64Array(1);
  private readonly words = new Int32Array(this.bits.buffer);

  constructor(private readonly width: 2 | 3) {
    this.values = new Float64Array(1024 * width);
    this.weights = new Float64Array(1024);
    this.slots = new Int32Array(2048).fill(-1);
  }

  /** Counts one more of the row (a, b, c); `c` is ignored for width 2. */
  add(a: number, b: number, c = 0): void {
    const mask = this.slots.length - 1;
    for (let slot = this.hash(a, b, c) & mask; ; slot = (slot + 1) & mask) {
      const row = this.slots[slot]!;
      if (row === -1) {
        this.append(slot, a, b, c);
        return;
      }
      const at = row * this.width;
      if (this.values[at] === a && this.values[at + 1] === b && (this.width === 2 || this.values[at + 2] === c)) {
        this.weights[row]!++;
        return;
      }
    }
  }

  /** Number `k` of row `row`. */
  value(row: number, k: number): number {
    return this.values[row * this.width + k]!;
  }

  private append(slot: number, a: number, b: number, c: number): void {
    if (this.size === this.weights.length) {
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
      const weights = new Float64Array(this.weights.length * 2);
      weights.set(this.weights);
      this.weights = weights;
    }
    const row = this.size++;
    const at = row * this.width;
    this.values[at] = a;
    this.values[at + 1] = b;
    if (this.width === 3) this.values[at + 2] = c;
    this.weights[row] = 1;
    this.slots[slot] = row;
    // Kept under half full, so probes stay short.
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = this.slots.length - 1;
    for (let row = 0; row < this.size; row++) {
      const at = row * this.width;
      let slot = this.hash(this.values[at]!, this.values[at + 1]!, this.width === 3 ? this.values[at + 2]! : 0) & mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & mask;
      this.slots[slot] = row;
    }
  }

  private hash(a: number, b: number, c: number): number {
    const h = this.mix(this.mix(this.mix(0x811c9dc5, a), b), c);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private mix(h: number, value: number): number {
    this.bits[0] = value + 0; // -0 + 0 is 0: one hash for both zeros
    return Math.imul(Math.imul(h ^ this.words[0]!, 0x01000193) ^ this.words[1]!, 0x01000193);
  }
}
