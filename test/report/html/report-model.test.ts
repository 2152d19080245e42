import { describe, expect, it } from 'vitest';
import { compareWithShopify } from '../../../src/report/html/report-model.ts';

describe("comparison with Shopify's predicted spend tier", () => {
  it('cross-counts our tiers with HIGH/MEDIUM/LOW, other values, then customers without one', () => {
    const tiers = [{ id: 'vip', label: 'VIP' }, { id: 'low_value', label: 'Low-Value' }];
    const segments = [
      { customerId: 'a', tier: 'vip' }, { customerId: 'b', tier: 'vip' }, { customerId: 'c', tier: 'low_value' },
      { customerId: 'd', tier: 'low_value' }, { customerId: 'e', tier: 'new' },
    ];
    const spend = new Map<string, string | null>([['a', 'HIGH'], ['b', 'LOW'], ['c', 'LOW'], ['d', null], ['e', 'HIGH'], ['x', 'ODD']]);
    expect(compareWithShopify(segments, tiers, spend)).toEqual({ spendTiers: ['HIGH', 'LOW', '(none)'], counts: [[1, 1, 0], [0, 1, 1]] });
  });
});
