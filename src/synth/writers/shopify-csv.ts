import { currencySpec, formatMinor } from '../currency.ts';
import { createShopTimeFormatter } from '../shop-time.ts';
import type { SynthCustomer, SynthOrder } from '../types.ts';
import { csvRow } from '../../util/csv-row.ts';
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
const COLUMN = Object.fromEntries(SHOPIFY_EXPORT_COLUMNS.map((name, index) => [name, index])) as Record<Column, number>;
const VENDOR = 'Tiersync Demo Goods';

export interface ShopifyCsvOptions {
  /** The shop's IANA time zone (default: the usual one for the order's currency, see currency.ts). */
  timeZone?: string;
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
export function shopifyCsvFormatter(options: ShopifyCsvOptions = {}): RecordFormatter {
  const formatters = new Map<string, (iso: string) => string>();
  const shopTimeFor = (order: SynthOrder) => {
    const timeZone = options.timeZone ?? currencySpec(order.currencyCode).timeZone;
    let formatter = formatters.get(timeZone);
    if (formatter === undefined) {
      formatter = createShopTimeFormatter(timeZone);
      formatters.set(timeZone, formatter);
    }
    return formatter;
  };
  return {
    header: csvRow(SHOPIFY_EXPORT_COLUMNS),
    format(record) {
      const customer = record.kind === 'customer' ? record.customer : null;
      let text = '';
      for (const order of ordersOf(record)) text += orderRows(order, customer, shopTimeFor(order));
      return text;
    },
  };
}

function orderRows(order: SynthOrder, customer: SynthCustomer | null, shopTime: (iso: string) => string): string {
  const currency = currencySpec(order.currencyCode);
  const zero = formatMinor(0, currency.digits);
  const status = financialStatus(order);
  const fulfilled = order.cancelledAt === null;
  const billingName = customer ? `${customer.firstName} ${customer.lastName}` : '';
  let text = '';
  for (const [index, line] of order.lines.entries()) {
    const row: string[] = new Array<string>(SHOPIFY_EXPORT_COLUMNS.length).fill('');
    row[COLUMN['Name']] = order.name;
    row[COLUMN['Email']] = order.email ?? '';
    row[COLUMN['Lineitem quantity']] = String(line.quantity);
    row[COLUMN['Lineitem name']] = line.title;
    row[COLUMN['Lineitem price']] = line.unitPrice;
    row[COLUMN['Lineitem requires shipping']] = String(line.productType !== 'Gift Cards');
    row[COLUMN['Lineitem taxable']] = String(line.productType !== 'Gift Cards');
    row[COLUMN['Lineitem fulfillment status']] = fulfilled ? 'fulfilled' : 'pending';
    row[COLUMN['Vendor']] = VENDOR;
    row[COLUMN['Lineitem discount']] = zero;
    if (index === 0) {
      row[COLUMN['Financial Status']] = status;
      row[COLUMN['Paid at']] = status === 'voided' ? '' : shopTime(order.processedAt);
      row[COLUMN['Fulfillment Status']] = fulfilled ? 'fulfilled' : 'unfulfilled';
      row[COLUMN['Accepts Marketing']] = customer?.tags.includes('newsletter') ? 'yes' : 'no';
      row[COLUMN['Currency']] = order.currencyCode;
      row[COLUMN['Subtotal']] = order.subtotalPrice;
      row[COLUMN['Shipping']] = order.totalShipping;
      row[COLUMN['Taxes']] = order.totalTax;
      row[COLUMN['Total']] = order.totalPrice;
      row[COLUMN['Discount Amount']] = zero;
      row[COLUMN['Shipping Method']] = order.totalShipping === zero ? 'Free Shipping' : 'Standard';
      row[COLUMN['Created at']] = shopTime(order.createdAt);
      row[COLUMN['Billing Name']] = billingName;
      row[COLUMN['Shipping Name']] = billingName;
      row[COLUMN['Cancelled at']] = order.cancelledAt === null ? '' : shopTime(order.cancelledAt);
      row[COLUMN['Payment Method']] = order.test ? 'bogus' : 'Shopify Payments';
      row[COLUMN['Refunded Amount']] = order.totalRefunded;
      row[COLUMN['Outstanding Balance']] = zero;
      row[COLUMN['Id']] = order.id;
      row[COLUMN['Risk Level']] = 'Low';
      row[COLUMN['Source']] = 'web';
      row[COLUMN['Tax 1 Name']] = currency.taxName;
      row[COLUMN['Tax 1 Value']] = order.totalTax;
    }
    text += csvRow(row);
  }
  return text;
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
