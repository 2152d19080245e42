/**
 * The shop's currency as its orders name it: the most common order currency, ties broken
 * alphabetically so the answer never depends on the order the orders came in. One rule for
 * the sync (money in properties and metafields) and the report (money on the page).
 *
 * @example
 * const tally = createCurrencyTally();
 * tally.add('EUR'); tally.add('USD'); tally.add(null);
 * tally.dominant(); // 'EUR'
 */
export function createCurrencyTally() {
  const counts = new Map<string, number>();
  return {
    add(currency: string | null): void {
      if (currency) counts.set(currency, (counts.get(currency) ?? 0) + 1);
    },
    /** Null when no order named a currency. */
    dominant(): string | null {
      let best: string | null = null;
      let bestCount = 0;
      for (const [currency, count] of counts) {
        if (count > bestCount || (count === bestCount && best !== null && currency < best)) {
          best = currency;
          bestCount = count;
        }
      }
      return best;
    },
  };
}
