/**
 * Shop currencies the synthetic shop supports, with their ISO 4217 minor units (JPY has none)
 * and a rough price level relative to USD so that a JPY shop's prices look like yen prices.
 */
export interface CurrencySpec {
  code: string;
  /** ISO 4217 minor unit digits: 2 for USD/EUR/GBP, 0 for JPY. */
  digits: number;
  /** Price level relative to one US dollar. */
  perDollar: number;
  /** Sales tax rate added on top of the subtotal. */
  taxRate: number;
  /** Flat shipping below the free-shipping threshold, in minor units. */
  shippingMinor: number;
  /** Subtotal from which shipping is free, in minor units. */
  freeShippingFromMinor: number;
  /** IANA time zone of a typical shop selling in this currency; exports show local times. */
  timeZone: string;
  /** The tax line's name in exports. */
  taxName: string;
}

const CURRENCIES: Record<string, CurrencySpec> = {
  USD: spec('USD', 2, 1, 0.07, 599, 7500, 'America/New_York', 'NY State Tax 7%'),
  EUR: spec('EUR', 2, 0.92, 0.19, 495, 6000, 'Europe/Berlin', 'DE MwSt 19%'),
  GBP: spec('GBP', 2, 0.79, 0.2, 399, 5000, 'Europe/London', 'GB VAT 20%'),
  CAD: spec('CAD', 2, 1.37, 0.13, 899, 9900, 'America/Toronto', 'ON HST 13%'),
  JPY: spec('JPY', 0, 150, 0.1, 800, 10000, 'Asia/Tokyo', 'JP 消費税 10%'),
};

function spec(
  code: string,
  digits: number,
  perDollar: number,
  taxRate: number,
  shippingMinor: number,
  freeShippingFromMinor: number,
  timeZone: string,
  taxName: string,
): CurrencySpec {
  return { code, digits, perDollar, taxRate, shippingMinor, freeShippingFromMinor, timeZone, taxName };
}

/** Currency codes `generateShop` accepts. */
export const SUPPORTED_CURRENCIES = Object.keys(CURRENCIES);

/**
 * The spec of a supported currency; throws naming the supported ones otherwise.
 *
 * @example
 * currencySpec('JPY').digits; // 0
 */
export function currencySpec(code: string): CurrencySpec {
  const spec = CURRENCIES[code];
  if (!spec) throw new Error(`unsupported shop currency "${code}" (supported: ${SUPPORTED_CURRENCIES.join(', ')})`);
  return spec;
}

/**
 * Formats integer minor units as the decimal string the Admin API uses for money amounts
 * (`MoneyV2.amount`): always `digits` decimals, no grouping.
 *
 * @example
 * formatMinor(12345, 2); // "123.45"
 * formatMinor(1500, 0); // "1500"
 */
export function formatMinor(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const factor = 10 ** digits;
  const whole = Math.trunc(minor / factor);
  const fraction = String(minor % factor).padStart(digits, '0');
  return `${whole}.${fraction}`;
}
