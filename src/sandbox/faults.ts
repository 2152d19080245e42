/**
 * Fault injection shared by the Shopify and Klaviyo emulators. A spec names the probability of
 * each fault per request; an injector draws one fault (or none) per request from a seeded
 * random source, so the same seed and the same request sequence give the same faults.
 */

export interface FaultSpec {
  /** Probability that a request is answered with a 500/503 in the API's own error format. */
  serverError: number;
  /** Probability that the connection is destroyed without an answer. */
  reset: number;
  /** Probability that a request is delayed by `delayMs`, then answered normally. */
  slow: { probability: number; delayMs: number };
  /** Probability that a request gets the API's throttle response (429 with Retry-After). */
  rateLimited: number;
}

export type Fault = { kind: '5xx' } | { kind: 'reset' } | { kind: 'slow'; delayMs: number } | { kind: '429' };

export const NO_FAULTS: FaultSpec = Object.freeze({
  serverError: 0,
  reset: 0,
  slow: Object.freeze({ probability: 0, delayMs: 0 }),
  rateLimited: 0,
}) as FaultSpec;

const ALLOWED_FORM =
  'expected comma-separated parts like "5xx=0.02,reset=0.01,slow=0.05:2000ms,429=0.05" ' +
  '(keys 5xx, reset, slow, 429; probabilities between 0 and 1; slow takes PROBABILITY:DELAYms)';

/**
 * Parses a fault spec string. The empty string means no faults. A bad part throws an Error
 * naming the part and the allowed form; the probabilities together may not exceed 1.
 *
 * @example
 * parseFaultSpec('5xx=0.02,reset=0.01,slow=0.05:2000ms,429=0.05');
 * // { serverError: 0.02, reset: 0.01, slow: { probability: 0.05, delayMs: 2000 }, rateLimited: 0.05 }
 */
export function parseFaultSpec(spec: string): FaultSpec {
  const result: FaultSpec = { serverError: 0, reset: 0, slow: { probability: 0, delayMs: 0 }, rateLimited: 0 };
  const seen = new Set<string>();
  for (const rawPart of spec.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const match = /^(5xx|reset|slow|429)=(.+)$/.exec(part);
    if (!match) throw new Error(`fault spec: bad part "${part}": ${ALLOWED_FORM}`);
    const key = match[1] as '5xx' | 'reset' | 'slow' | '429';
    const value = match[2] as string;
    if (seen.has(key)) throw new Error(`fault spec: "${key}" given twice in "${spec}": ${ALLOWED_FORM}`);
    seen.add(key);
    if (key === 'slow') {
      const slow = /^([0-9.]+):([0-9]+)ms$/.exec(value);
      if (!slow) throw new Error(`fault spec: bad part "${part}": ${ALLOWED_FORM}`);
      result.slow = { probability: parseProbability(slow[1] as string, part), delayMs: Number(slow[2]) };
    } else {
      const probability = parseProbability(value, part);
      if (key === '5xx') result.serverError = probability;
      else if (key === 'reset') result.reset = probability;
      else result.rateLimited = probability;
    }
  }
  const total = result.serverError + result.reset + result.slow.probability + result.rateLimited;
  if (total > 1 + 1e-9) throw new Error(`fault spec: probabilities in "${spec}" add up to ${total}, more than 1`);
  return result;
}

function parseProbability(text: string, part: string): number {
  const value = /^[0-9]*\.?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`fault spec: bad probability in "${part}": ${ALLOWED_FORM}`);
  }
  return value;
}

/**
 * Creates an injector that draws exactly one number from `random` per `next()` call and maps
 * it onto the spec's probabilities (5xx, then reset, then 429, then slow), so a request gets at
 * most one fault and the sequence depends only on the seed.
 *
 * @example
 * const injector = createFaultInjector(parseFaultSpec('5xx=0.5'), seededRandom(7));
 * injector.next(); // { kind: '5xx' } or null, the same on every run with seed 7
 */
export function createFaultInjector(spec: FaultSpec, random: () => number): { next(): Fault | null } {
  const bands: { upTo: number; fault: Fault }[] = [];
  let upTo = 0;
  const add = (probability: number, fault: Fault): void => {
    if (probability <= 0) return;
    upTo += probability;
    bands.push({ upTo, fault });
  };
  add(spec.serverError, { kind: '5xx' });
  add(spec.reset, { kind: 'reset' });
  add(spec.rateLimited, { kind: '429' });
  add(spec.slow.probability, { kind: 'slow', delayMs: spec.slow.delayMs });
  return {
    next(): Fault | null {
      if (bands.length === 0) return null;
      const draw = random();
      for (const band of bands) if (draw < band.upTo) return band.fault;
      return null;
    },
  };
}
