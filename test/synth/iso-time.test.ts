import { describe, expect, it } from 'vitest';
import { createIsoSeconds } from '../../src/synth/iso-time.ts';

describe('createIsoSeconds', () => {
  const iso = createIsoSeconds();

  it('writes UTC without milliseconds, dropping (not rounding) the sub-second part', () => {
    expect(iso(Date.UTC(2024, 4, 1, 10, 0, 0, 999))).toBe('2024-05-01T10:00:00Z');
    expect(iso(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29T23:59:59Z');
    expect(iso(Date.UTC(2025, 0, 1, 0, 0, 0))).toBe('2025-01-01T00:00:00Z');
  });

  it('agrees with Date#toISOString across two years of odd instants', () => {
    const start = Date.UTC(2024, 0, 1);
    for (let ms = start; ms < start + 730 * 86_400_000; ms += 7_777_777_777 / 1000) {
      const whole = Math.floor(ms);
      expect(iso(whole)).toBe(`${new Date(whole).toISOString().slice(0, 19)}Z`);
    }
  });
});
