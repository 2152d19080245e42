import { stringify } from 'csv-stringify/sync';
import { currencySpec, formatMinor } from '../currency.ts';
import { createShopTimeFormatter } from '../shop-time.ts';
import type { SynthCustomer, SynthOrder } from '../types.ts';
import { ordersOf, type RecordFormatter } from './record-formatter.ts';

/**
 * The header of Shopify admin's "Export orders" CSV (Orders > Export, "Plain CSV file"), in the
 * order Shopify writes it. It has no customer id and no product type column: customers are
 * known by `Email`, and line items only by `Lineitem name`.
 */
export const SHOPIFY_EXPORT_COLUMNS = [
  'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing',
  'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method',
  'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price', 'Lineitem sku',
  'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status', 'Billing Name', 'Billing Street',
  'Billing Address1', 'Billing Address2', 'Billing Company', 'Billing City', 'Billing Zip', 'Billing Province',
  'Billing Country', 'Billing Phone', 'Shipping Name', 'Shipping Street', 'Shipping Address1', 'Shipping Address2',
  'Shipping Company', 'Shipping City', 'Shipping Zip', 'Shipping Province', 'Shipping Country', 'Shipping Phone',
  'Notes', 'Note Attributes', 'Cancelled at', 'Payment Method', 'Payment Reference', 'Refunded Amount', 'Vendor',
  'Outstanding Balance', 'Employee', 'Location', 'Device ID', 'Id', 'Tags', 'Risk Level', 'Source',
  'Lineitem discount', 'Tax 1 Name', 'Tax 1 Value', 'Tax 2 Name', 'Tax 2 Value', 'Tax 3 Name', 'Tax 3 Value',
  'Tax 4 Name', 'Tax 4 Value', 'Tax 5 Name', 'Tax 5 Value', 'Phone', 'Receipt Number', 'Duties',
  'Billing Province Name', 'Shipping Province Name', 'Payment ID', 'Payment Terms Name', 'Next Payment Due At',
  'Payment References',
] as const;

type Column = (typeof SHOPIFY_EXPORT_COLUMNS)[number];
const COLUMN_INDEX = new Map<string, number>(SHOPIFY_EXPORT_COLUMNS.map((name, index) => [name, index]));
const VENDOR = 'Tiersync Demo Goods';

export interface ShopifyCsvOptions {
  /** The shop's IANA time zone; dates are written in local time with their offset. */
  timeZone: string;
}

/**
 * Shopify admin's "Export orders" CSV: one row per line item; `Name` and `Email` on every row,
 * the order's own columns (status, totals, dates, refunds, cancellation, Id) on its first row
 * only; dates like `2024-05-01 10:00:00 -0400`.
 *
 * @example
 * const csv = shopifyCsvFormatter({ timeZone: 'America/New_York' });
 * csv.header.startsWith('Name,Email,Financial Status,Paid at'); // true
 */
export function shopifyCsvFormatter(options: ShopifyCsvOptions): RecordFormatter {
  const shopTime = createShopTimeFormatter(options.timeZone);
  return {
    header: stringify([[...SHOPIFY_EXPORT_COLUMNS]]),
    format(record) {
      const customer = record.kind === 'customer' ? record.customer : null;
      const rows: string[][] = [];
      for (const order of ordersOf(record)) pushOrderRows(rows, order, customer, shopTime);
      return stringify(rows);
    },
  };
}

function pushOrderRows(
  rows: string[][],
  order: SynthOrder,
  customer: SynthCustomer | null,
  shopTime: (iso: string) => string,
): void {
  const currency = currencySpec(order.currencyCode);
  const zero = formatMinor(0, currency.digits);
  const status = financialStatus(order);
  const fulfilled = order.cancelledAt === null;
  const billingName = customer ? `${customer.firstName} ${customer.lastName}` : '';
  order.lines.forEach((line, index) => {
    const row: string[] = new Array<string>(SHOPIFY_EXPORT_COLUMNS.length).fill('');
    const set = (column: Column, value: string) => {
      row[COLUMN_INDEX.get(column) as number] = value;
    };
    set('Name', order.name);
    set('Email', order.email ?? '');
    set('Lineitem quantity', String(line.quantity));
    set('Lineitem name', line.title);
    set('Lineitem price', line.unitPrice);
    set('Lineitem requires shipping', String(line.productType !== 'Gift Cards'));
    set('Lineitem taxable', String(line.productType !== 'Gift Cards'));
    set('Lineitem fulfillment status', fulfilled ? 'fulfilled' : 'pending');
    set('Vendor', VENDOR);
    set('Lineitem discount', zero);
    if (index === 0) {
      set('Financial Status', status);
      set('Paid at', status === 'voided' ? '' : shopTime(order.processedAt));
      set('Fulfillment Status', fulfilled ? 'fulfilled' : 'unfulfilled');
      set('Accepts Marketing', customer?.tags.includes('newsletter') ? 'yes' : 'no');
      set('Currency', order.currencyCode);
      set('Subtotal', order.subtotalPrice);
      set('Shipping', order.totalShipping);
      set('Taxes', order.totalTax);
      set('Total', order.totalPrice);
      set('Discount Amount', zero);
      set('Shipping Method', order.totalShipping === zero ? 'Free Shipping' : 'Standard');
      set('Created at', shopTime(order.createdAt));
      set('Billing Name', billingName);
      set('Shipping Name', billingName);
      set('Cancelled at', order.cancelledAt === null ? '' : shopTime(order.cancelledAt));
      set('Payment Method', order.test ? 'bogus' : 'Shopify Payments');
      set('Refunded Amount', order.totalRefunded);
      set('Outstanding Balance', zero);
      set('Id', order.id);
      set('Risk Level', 'Low');
      set('Source', 'web');
      set('Tax 1 Name', currency.taxName);
      set('Tax 1 Value', order.totalTax);
    }
    rows.push(row);
  });
}

/**
 * The order's `Financial Status` as the export spells it (`displayFinancialStatus`, lower case).
 *
 * @example
 * financialStatus({ cancelledAt: null, totalRefunded: '0.00', totalPrice: '10.00', ... }); // "paid"
 */
export function financialStatus(order: SynthOrder): 'paid' | 'partially_refunded' | 'refunded' | 'voided' {
  const refundedNothing = order.currentTotalPrice === order.totalPrice;
  if (order.cancelledAt !== null && refundedNothing) return 'voided';
  if (refundedNothing) return 'paid';
  return order.totalRefunded === order.totalPrice ? 'refunded' : 'partially_refunded';
}
