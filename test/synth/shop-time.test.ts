import { describe, expect, it } from 'vitest';
import { createShopTimeFormatter } from '../../src/synth/shop-time.ts';

describe('createShopTimeFormatter', () => {
  it('writes New York time with -0400 in summer and -0500 in winter', () => {
    const format = createShopTimeFormatter('America/New_York');
    expect(format('2024-05-01T14:00:00Z')).toBe('2024-05-01 10:00:00 -0400');
    expect(format('2024-01-15T14:00:00Z')).toBe('2024-01-15 09:00:00 -0500');
  });

  it('switches offset at the daylight saving change (2024-03-10 07:00 UTC in New York)', () => {
    const format = createShopTimeFormatter('America/New_York');
    expect(format('2024-03-10T06:59:59Z')).toBe('2024-03-10 01:59:59 -0500');
    expect(format('2024-03-10T07:00:00Z')).toBe('2024-03-10 03:00:00 -0400');
  });

  it('crosses the date line for Tokyo and writes +0000 for London in winter', () => {
    expect(createShopTimeFormatter('Asia/Tokyo')('2024-05-01T20:30:15Z')).toBe('2024-05-02 05:30:15 +0900');
    expect(createShopTimeFormatter('Europe/London')('2024-01-01T00:00:00Z')).toBe('2024-01-01 00:00:00 +0000');
  });

  it('handles half-hour offsets', () => {
    expect(createShopTimeFormatter('Asia/Kolkata')('2024-01-01T00:00:00Z')).toBe('2024-01-01 05:30:00 +0530');
  });
});
