import { describe, expect, it } from 'vitest';
import { createFaultInjector, parseFaultSpec } from '../../src/sandbox/faults.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

describe('parseFaultSpec', () => {
  it('parses every kind of part', () => {
    expect(parseFaultSpec('5xx=0.02,reset=0.01,slow=0.05:2000ms,429=0.05')).toEqual({
      serverError: 0.02,
      reset: 0.01,
      slow: { probability: 0.05, delayMs: 2000 },
      rateLimited: 0.05,
    });
  });

  it('treats the empty string as no faults', () => {
    expect(parseFaultSpec('')).toEqual({ serverError: 0, reset: 0, slow: { probability: 0, delayMs: 0 }, rateLimited: 0 });
  });

  it.each(['5xx', 'boom=0.1', '5xx=2', '5xx=-0.1', 'slow=0.1', 'slow=0.1:2s', '429=abc'])('rejects "%s" naming the part', (spec) => {
    expect(() => parseFaultSpec(spec)).toThrow(new RegExp(`"${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}".*expected comma-separated parts`));
  });

  it('rejects a key given twice and probabilities adding up to more than 1', () => {
    expect(() => parseFaultSpec('5xx=0.1,5xx=0.2')).toThrow(/given twice/);
    expect(() => parseFaultSpec('5xx=0.6,429=0.6')).toThrow(/more than 1/);
  });
});

describe('createFaultInjector', () => {
  const draw = (seed: number, count: number) => {
    const injector = createFaultInjector(parseFaultSpec('5xx=0.1,reset=0.1,slow=0.1:50ms,429=0.1'), seededRandom(seed));
    return Array.from({ length: count }, () => injector.next()?.kind ?? 'none');
  };

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(11, 200)).toEqual(draw(11, 200));
    expect(draw(11, 200)).not.toEqual(draw(12, 200));
  });

  it('maps each draw onto the bands 5xx, reset, 429, slow in that order', () => {
    const values = [0.05, 0.15, 0.25, 0.35, 0.45];
    const injector = createFaultInjector(parseFaultSpec('5xx=0.1,reset=0.1,slow=0.1:50ms,429=0.1'), () => values.shift() ?? 0.99);
    expect([injector.next(), injector.next(), injector.next(), injector.next(), injector.next()]).toEqual([
      { kind: '5xx' },
      { kind: 'reset' },
      { kind: '429' },
      { kind: 'slow', delayMs: 50 },
      null,
    ]);
  });

  it('injects roughly the configured share over many requests', () => {
    const kinds = draw(3, 10_000);
    const share = (kind: string) => kinds.filter((k) => k === kind).length / kinds.length;
    for (const kind of ['5xx', 'reset', 'slow', '429']) expect(share(kind)).toBeGreaterThan(0.08);
    for (const kind of ['5xx', 'reset', 'slow', '429']) expect(share(kind)).toBeLessThan(0.12);
  });

  it('never draws when there are no faults', () => {
    let calls = 0;
    const injector = createFaultInjector(parseFaultSpec(''), () => (calls++, 0));
    expect(injector.next()).toBeNull();
    expect(calls).toBe(0);
  });
});
