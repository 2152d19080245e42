import { describe, expect, it } from 'vitest';
import { formatMinorUnits, parseMoneyToMinorUnits } from '../../src/core/money.ts';
import { countStrictlyBetter, median } from '../../src/core/rank.ts';

describe('money', () => {
  it.each([
    ['123.45', 'USD', 12345], ['0.1', 'USD', 10], ['12', 'USD', 1200], ['1,234.56', 'USD', 123456], ['-3.10', 'USD', -310],
    ['0.005', 'USD', 1], ['0.004', 'USD', 0], ['1500', 'JPY', 1500], ['1500.6', 'JPY', 1501], ['1.2345', 'KWD', 1235], ['.5', 'EUR', 50],
  ])('parses %s %s as %i minor units', (text, currency, expected) => {
    expect(parseMoneyToMinorUnits(text, currency)).toBe(expected);
  });

  it('rejects text that is not an amount', () => {
    expect(parseMoneyToMinorUnits('abc')).toBeNull();
    expect(parseMoneyToMinorUnits('')).toBeNull();
    expect(parseMoneyToMinorUnits('1.2.3')).toBeNull();
    expect(parseMoneyToMinorUnits('$5')).toBeNull();
  });

  it('formats minor units back', () => {
    expect(formatMinorUnits(12345, 'USD')).toBe('123.45');
    expect(formatMinorUnits(5, 'USD')).toBe('0.05');
    expect(formatMinorUnits(-310, 'EUR')).toBe('-3.10');
    expect(formatMinorUnits(1500, 'JPY')).toBe('1500');
  });
});

describe('ranking helpers', () => {
  it('counts strictly better values with shared ranks for ties', () => {
    expect(countStrictlyBetter([5, 9, 5, 1], true)).toEqual([1, 0, 1, 3]);
    expect(countStrictlyBetter([5, 9, 5, 1], false)).toEqual([1, 3, 1, 0]);
    expect(countStrictlyBetter([], true)).toEqual([]);
  });

  it('counts the same on the counting, packed whole-number and comparator paths', () => {
    // Whole numbers spanning fewer values than there are (counting sort), else packed and sorted natively; fractions and a huge spread (comparator).
    expect(countStrictlyBetter([2, 3, 2, 1, 3], true)).toEqual([2, 0, 2, 4, 0]);
    expect(countStrictlyBetter([2, 3, 2, 1, 3], false)).toEqual([1, 3, 1, 0, 3]);
    expect(countStrictlyBetter([-3, 0, 7, 7, -3, 2], true)).toEqual([4, 3, 0, 0, 4, 2]);
    expect(countStrictlyBetter([0.5, 0, 7.25, 7.25, 0.5, 2], true)).toEqual([3, 5, 0, 0, 3, 2]);
    expect(countStrictlyBetter([Number.MAX_SAFE_INTEGER, 0, -Number.MAX_SAFE_INTEGER, 0], false)).toEqual([3, 1, 0, 1]);
    const values = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 101);
    const byDefinition = values.map((v) => values.filter((w) => w > v).length);
    expect(countStrictlyBetter(values, true)).toEqual(byDefinition);
    expect(countStrictlyBetter(values.map((v) => v + 0.5), true)).toEqual(byDefinition);
  });

  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
