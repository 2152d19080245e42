/**
 * Sampling helpers over a uniform source in [0, 1) (a `seededRandom`), so every draw of the
 * synthetic shop comes from one deterministic stream.
 */
export type Random = () => number;

/**
 * A standard normal draw (Box–Muller; one of the pair is discarded to keep the stream simple).
 *
 * @example
 * standardNormal(seededRandom(1)); // a number around 0
 */
export function standardNormal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A log-normal draw whose logarithm has the given mean and standard deviation.
 *
 * @example
 * logNormal(seededRandom(1), Math.log(50), 0.5); // median 50
 */
export function logNormal(random: Random, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * standardNormal(random));
}

/**
 * A Pareto draw (minimum `scale`, tail index `alpha`): few large values, many near the minimum.
 *
 * @example
 * pareto(seededRandom(1), 1, 1.5); // ≥ 1
 */
export function pareto(random: Random, scale: number, alpha: number): number {
  return scale / Math.pow(1 - random(), 1 / alpha);
}

/**
 * An exponential draw with the given mean.
 *
 * @example
 * exponential(seededRandom(1), 30); // mean 30
 */
export function exponential(random: Random, mean: number): number {
  return -mean * Math.log(1 - random());
}

/**
 * One element of a non-empty list, uniformly.
 *
 * @example
 * pickOne(seededRandom(1), ['a', 'b']);
 */
export function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * A picker over weighted items: precomputes the cumulative weights once, then each call
 * costs one draw and a short scan.
 *
 * @example
 * const pick = weightedPicker([['a', 3], ['b', 1]]);
 * pick(seededRandom(1)); // 'a' three times out of four
 */
export function weightedPicker<T>(entries: readonly (readonly [T, number])[]): (random: Random) => T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const [, weight] of entries) {
    running += weight / total;
    cumulative.push(running);
  }
  return (random) => {
    const u = random();
    for (let i = 0; i < cumulative.length; i++) {
      if (u < (cumulative[i] as number)) return (entries[i] as readonly [T, number])[0];
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  };
}
