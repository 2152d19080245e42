import { describe, expect, it } from 'vitest';
import { exponential, logNormal, pareto, pickOne, standardNormal, weightedPicker } from '../../src/synth/distributions.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

const N = 20_000;
const random = seededRandom(99);

function draws(sample: () => number): number[] {
  return Array.from({ length: N }, sample);
}

describe('distributions', () => {
  it('standardNormal has mean about 0 and standard deviation about 1', () => {
    const values = draws(() => standardNormal(random));
    const mean = values.reduce((a, b) => a + b, 0) / N;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / N);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.97);
    expect(sd).toBeLessThan(1.03);
  });

  it('logNormal has its median at exp(mu)', () => {
    const values = draws(() => logNormal(random, Math.log(50), 0.5)).sort((a, b) => a - b);
    expect(values[N / 2]).toBeGreaterThan(48);
    expect(values[N / 2]).toBeLessThan(52);
  });

  it('pareto never falls below its scale and has a heavy tail', () => {
    const values = draws(() => pareto(random, 2, 1.5));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(2);
    // P(X > 20) = (2/20)^1.5 ≈ 3.2%
    const tail = values.filter((value) => value > 20).length / N;
    expect(tail).toBeGreaterThan(0.024);
    expect(tail).toBeLessThan(0.04);
  });

  it('exponential has the given mean', () => {
    const mean = draws(() => exponential(random, 30)).reduce((a, b) => a + b, 0) / N;
    expect(mean).toBeGreaterThan(29);
    expect(mean).toBeLessThan(31);
  });

  it('pickOne and weightedPicker follow their weights', () => {
    const pick = weightedPicker([['a', 3], ['b', 1]] as const);
    const share = draws(() => (pick(random) === 'a' ? 1 : 0)).reduce((a, b) => a + b, 0) / N;
    expect(share).toBeGreaterThan(0.73);
    expect(share).toBeLessThan(0.77);
    expect(new Set(draws(() => (pickOne(random, ['x', 'y', 'z']) === 'z' ? 1 : 0)))).toEqual(new Set([0, 1]));
  });
});
