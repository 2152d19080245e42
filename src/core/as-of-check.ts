import { DAY_MS, isCountableOrder, type FactsOrder } from './order.ts';

/**
 * Watches the orders a computation reads and says when its `asOf` makes no sense for them:
 * before every order (nothing to segment), or with no counted order in the LTV window before
 * it (every mature customer at LTV 0). Pure: the caller decides where the warning goes.
 *
 * @example
 * const check = createAsOfCheck(asOf, 730);
 * for (const order of orders) check.add(order);
 * const warning = check.warning(); // null, or one line naming the data's date range
 */
export function createAsOfCheck(asOf: Date, historyDays: number) {
  const asOfMs = asOf.getTime();
  const windowStartMs = asOfMs - historyDays * DAY_MS;
  let first = Infinity;
  let last = -Infinity;
  let inWindow = false;
  return {
    add(order: FactsOrder): void {
      if (order.processedAt < first) first = order.processedAt;
      if (order.processedAt > last) last = order.processedAt;
      if (!inWindow && order.processedAt <= asOfMs && order.processedAt > windowStartMs && isCountableOrder(order)) inWindow = true;
    },
    warning(): string | null {
      if (first === Infinity) return null;
      const range = `the orders run from ${day(first)} to ${day(last)}`;
      if (asOfMs < first) return `warning: --as-of ${day(asOfMs)} is before every order (${range}): no order counts, so no customer is computed`;
      if (!inWindow) {
        return `warning: no counted order in the ${historyDays} days before --as-of ${day(asOfMs)} (${range}): every mature customer has LTV 0 and is in the lowest tier`;
      }
      return null;
    },
  };
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
