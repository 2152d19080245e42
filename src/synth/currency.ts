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
}

const CURRENCIES: Record<string, CurrencySpec> = {
  USD: { code: 'USD', digits: 2, perDollar: 1, taxRate: 0.07, shippingMinor: 599, freeShippingFromMinor: 7500 },
  EUR: { code: 'EUR', digits: 2, perDollar: 0.92, taxRate: 0.19, shippingMinor: 495, freeShippingFromMinor: 6000 },
  GBP: { code: 'GBP', digits: 2, perDollar: 0.79, taxRate: 0.2, shippingMinor: 399, freeShippingFromMinor: 5000 },
  CAD: { code: 'CAD', digits: 2, perDollar: 1.37, taxRate: 0.13, shippingMinor: 899, freeShippingFromMinor: 9900 },
  JPY: { code: 'JPY', digits: 0, perDollar: 150, taxRate: 0.1, shippingMinor: 800, freeShippingFromMinor: 10000 },
};

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
