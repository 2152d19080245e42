/**
 * Money as integer minor units, parsed from the decimal strings the APIs and exports give,
 * never through floats ("0.1 + 0.2").
 */

/** ISO 4217 currencies with other than 2 minor digits (the rest have 2). */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0, BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

/** Number of minor digits of a currency (2 when unknown or not given). */
export function minorDigits(currencyCode: string | null | undefined): number {
  return (currencyCode ? MINOR_DIGITS[currencyCode.toUpperCase()] : undefined) ?? 2;
}

/**
 * Parses a decimal amount ("1234.5", "-3.10", "1,234.56", "12") into minor units, rounding
 * half away from zero past the currency's digits. Returns null when the text is not a number.
 *
 * @example
 * parseMoneyToMinorUnits('123.45', 'USD') // 12345
 * parseMoneyToMinorUnits('1500', 'JPY')   // 1500
 */
export function parseMoneyToMinorUnits(amount: string, currencyCode?: string | null): number | null {
  const text = amount.trim().replace(/,/g, '');
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (!match[2] && !match[3])) return null;
  const digits = minorDigits(currencyCode);
  const sign = match[1] === '-' ? -1 : 1;
  const whole = match[2] || '0';
  const fraction = (match[3] ?? '').padEnd(digits + 1, '0');
  const kept = Number(whole + fraction.slice(0, digits));
  const roundUp = Number(fraction[digits]) >= 5 ? 1 : 0;
  const value = sign * (kept + roundUp);
  return Number.isSafeInteger(value) ? value + 0 : null;
}

/**
 * Formats minor units as a plain decimal string in major units.
 *
 * @example
 * formatMinorUnits(12345, 'USD') // '123.45'
 */
export function formatMinorUnits(minor: number, currencyCode?: string | null): string {
  const digits = minorDigits(currencyCode);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Minor units as a decimal number of major units (for Klaviyo properties and reports). */
export function minorUnitsToDecimal(minor: number, currencyCode?: string | null): number {
  return Number(formatMinorUnits(minor, currencyCode));
}
