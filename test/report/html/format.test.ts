import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatMoney, formatPercent } from '../../../src/report/html/format.ts';

describe('report formatting', () => {
  it('groups thousands independently of the locale', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-1000)).toBe('-1,000');
  });

  it('formats minor units in the currency\'s digits with the code', () => {
    expect(formatMoney(123_456_789, 'USD')).toBe('1,234,567.89 USD');
    expect(formatMoney(1500, 'JPY')).toBe('1,500 JPY');
    expect(formatMoney(-5, 'EUR')).toBe('-0.05 EUR');
    expect(formatMoney(1_234_567, 'KWD')).toBe('1,234.567 KWD');
  });

  it('formats shares and UTC dates', () => {
    expect(formatPercent(0.6543)).toBe('65.4%');
    expect(formatDate(Date.UTC(2026, 10, 25, 23, 59))).toBe('2026-11-25');
  });
});
