/**
 * The synthetic shop's records: customers with their orders, and guest orders, shaped after the
 * Shopify Admin API objects (legacy numeric ids, ISO UTC times, money as decimal strings in the
 * shop currency). GIDs are `gid://shopify/Customer/<id>`, `gid://shopify/Order/<id>` and
 * `gid://shopify/LineItem/<id>`.
 */

/** One line item of an order. */
export interface SynthLine {
  /** Numeric legacy line item id, unique across the shop. */
  id: string;
  title: string;
  productType: string;
  quantity: number;
  /** Unit price as a decimal string in the shop currency (no decimals for JPY). */
  unitPrice: string;
}

export interface SynthOrder {
  /** Numeric legacy id, e.g. "5100000001". */
  id: string;
  /** Order name as the admin shows it, e.g. "#1001". */
  name: string;
  /** Numeric legacy customer id, or null for a guest order. */
  customerId: string | null;
  email: string | null;
  /** ISO UTC. */
  createdAt: string;
  /** ISO UTC. */
  processedAt: string;
  /** ISO UTC, never before processedAt (later when a refund touched the order). */
  updatedAt: string;
  cancelledAt: string | null;
  test: boolean;
  currencyCode: string;
  /** Sum of the lines (unit price × quantity), decimal string. */
  subtotalPrice: string;
  /** Shipping charged, decimal string. */
  totalShipping: string;
  /** Taxes charged, decimal string. */
  totalTax: string;
  /** Decimal strings; totalPrice = subtotal + shipping + tax; currentTotalPrice = totalPrice - totalRefunded, never negative. */
  totalPrice: string;
  totalRefunded: string;
  currentTotalPrice: string;
  lines: SynthLine[];
}

export interface SynthCustomer {
  /** Numeric legacy id, e.g. "7100000001". */
  id: string;
  email: string | null;
  firstName: string;
  lastName: string;
  /** The merchant's own tags (never tiersync's `ltv:`/`rfm:`/`churn:`/`lapsed:` tags). */
  tags: string[];
  /** ISO UTC. */
  createdAt: string;
  /** ISO UTC. */
  updatedAt: string;
}

export type ShopRecord =
  | { kind: 'customer'; customer: SynthCustomer; orders: SynthOrder[] }
  | { kind: 'guest-order'; order: SynthOrder };

export interface GenerateShopOptions {
  seed: number;
  customers: number;
  /** End of the history. */
  asOf: Date;
  /** Months of history before asOf (default 24); older shops have customers dormant for years. */
  historyMonths?: number;
  /** Shop currency, default USD. */
  currencyCode?: string;
}
