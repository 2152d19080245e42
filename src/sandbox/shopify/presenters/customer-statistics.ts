/**
 * Derived customer figures: `amountSpent` and `statistics { rfmGroup predictedSpendTier }`.
 * Shopify computes `rfmGroup` and `predictedSpendTier` with models it does not publish; the
 * sandbox derives them from simple rules on the customer's orders so that they vary and can be
 * read beside tiersync's own tiers (see the sandbox README).
 */
import { formatMinorUnits } from '../../../core/money.ts';
import type { OrderFigures } from '../order-columns.ts';

/** @example amountSpentMinor(figures); // 12_345 */
export function amountSpentMinor(orders: readonly OrderFigures[]): number {
  return orders.reduce((sum, order) => sum + (order.countable ? order.currentTotalMinor : 0), 0);
}

/** @example customerStatistics(figures, 'USD', Date.now()); // { __typename: 'CustomerStatistics', rfmGroup: 'LOYAL', predictedSpendTier: 'MEDIUM' } */
export function customerStatistics(orders: readonly OrderFigures[], currency: string, now: number): Record<string, unknown> {
  const counted = orders.filter((order) => order.countable);
  const spentMajor = amountSpentMinor(counted) / 10 ** (formatMinorUnits(1, currency).split('.')[1]?.length ?? 0);
  const last = counted.reduce((latest, order) => Math.max(latest, order.processedAtMs), 0);
  const days = counted.length === 0 ? Infinity : (now - last) / 86_400_000;
  let rfmGroup: string;
  if (counted.length === 0) rfmGroup = 'PROSPECTS';
  else if (counted.length >= 5 && days < 90) rfmGroup = 'CHAMPIONS';
  else if (counted.length >= 2 && days < 180) rfmGroup = 'LOYAL';
  else if (counted.length === 1 && days < 90) rfmGroup = 'NEW';
  else if (counted.length >= 2 && days < 365) rfmGroup = 'AT_RISK';
  else if (days >= 365) rfmGroup = 'DORMANT';
  else rfmGroup = 'NEEDS_ATTENTION';
  const spendPerUsd = currency === 'JPY' ? 150 : 1;
  const predictedSpendTier = counted.length === 0 ? null : spentMajor >= 500 * spendPerUsd ? 'HIGH' : spentMajor >= 100 * spendPerUsd ? 'MEDIUM' : 'LOW';
  return { __typename: 'CustomerStatistics', rfmGroup, predictedSpendTier };
}
