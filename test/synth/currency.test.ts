import { describe, expect, it } from 'vitest';
import { currencySpec, formatMinor } from '../../src/synth/currency.ts';

describe('formatMinor', () => {
  it('writes two decimals for cent currencies, padding small amounts', () => {
    expect(formatMinor(12345, 2)).toBe('123.45');
    expect(formatMinor(5, 2)).toBe('0.05');
    expect(formatMinor(0, 2)).toBe('0.00');
    expect(formatMinor(100, 2)).toBe('1.00');
  });

  it('writes whole numbers for currencies without minor units', () => {
    expect(formatMinor(1500, 0)).toBe('1500');
    expect(formatMinor(0, 0)).toBe('0');
  });
});

describe('currencySpec', () => {
  it('knows that JPY has no minor unit and USD and EUR have two', () => {
    expect(currencySpec('JPY').digits).toBe(0);
    expect(currencySpec('USD').digits).toBe(2);
    expect(currencySpec('EUR').digits).toBe(2);
  });

  it('names the supported currencies when given another', () => {
    expect(() => currencySpec('usd')).toThrow('unsupported shop currency "usd" (supported: USD, EUR, GBP, CAD, JPY)');
  });
});
