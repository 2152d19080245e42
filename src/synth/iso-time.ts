import { DAY_MS } from '../core/order.ts';

/** "00" to "59", for building clock times without padStart on every call. */
export const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));

/**
 * ISO 8601 UTC without milliseconds, as the Admin API writes DateTime values
 * (`2024-05-01T10:00:00Z`). Millions of orders need several each, so the date part is cached
 * per day and the time part built from a table rather than through `Date#toISOString`.
 *
 * @example
 * const iso = createIsoSeconds();
 * iso(Date.UTC(2024, 4, 1, 10, 0, 0, 999)); // "2024-05-01T10:00:00Z"
 */
export function createIsoSeconds(): (ms: number) => string {
  const datePrefix = new Map<number, string>();
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let prefix = datePrefix.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
      datePrefix.set(day, prefix);
    }
    const seconds = Math.floor((ms - day * DAY_MS) / 1000);
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds % 60]}Z`;
  };
}
