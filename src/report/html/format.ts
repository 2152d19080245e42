import { formatMinorUnits } from '../../core/money.ts';

/**
 * Locale-independent number formatting for the report: the same input gives the same bytes on
 * every machine (Intl output depends on the ICU data and the host locale).
 */

/** Groups the integer part by thousands with commas. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * A whole number with thousands separators.
 *
 * @example
 * formatCount(1234567) // '1,234,567'
 */
export function formatCount(value: number): string {
  const rounded = Math.round(value);
  return `${rounded < 0 ? '-' : ''}${groupThousands(String(Math.abs(rounded)))}`;
}

/**
 * Minor units as major units with thousands separators and the currency code.
 *
 * @example
 * formatMoney(123456789, 'USD') // '1,234,567.89 USD'
 * formatMoney(1500, 'JPY')      // '1,500 JPY'
 */
export function formatMoney(minor: number, currency: string): string {
  const text = formatMinorUnits(Math.round(minor), currency);
  const sign = text.startsWith('-') ? '-' : '';
  const [whole, fraction] = text.replace(/^-/, '').split('.');
  return `${sign}${groupThousands(whole!)}${fraction === undefined ? '' : `.${fraction}`} ${currency}`;
}

/**
 * A 0–1 share as a percentage with one decimal.
 *
 * @example
 * formatPercent(0.6543) // '65.4%'
 */
export function formatPercent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

/**
 * An epoch-ms instant as its UTC calendar date.
 *
 * @example
 * formatDate(Date.UTC(2026, 10, 25, 13)) // '2026-11-25'
 */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
