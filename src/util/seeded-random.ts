/**
 * A small, fast, seedable PRNG (mulberry32) returning floats in [0, 1). Same seed, same
 * sequence on every machine, which is what the synthetic shop and fault injection need.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636 on every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
