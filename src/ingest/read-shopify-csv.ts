import { parseMoneyToMinorUnits } from '../core/money.ts';
import type { Order, OrderLine } from '../core/order.ts';
import { UserError } from '../errors.ts';
import { headerIndex, readCsvRecords } from './csv-records.ts';
import { csvRow } from '../util/csv-row.ts';
import { cleanEmail, explainBadTimestamp, parseTimestamp } from './parse-fields.ts';
import { SkipLog, type OrderSink, type ReadOrdersOptions, type ReadOrdersSummary } from './types.ts';

const REQUIRED = ['name', 'email', 'created at', 'total', 'lineitem quantity'] as const;

interface PendingOrder {
  readonly line: number;
  /** The order's first row as in the file, for the rejects file. */
  readonly raw: string;
  readonly get: (name: string) => string | undefined;
  readonly lines: OrderLine[];
}

/**
 * Reads Shopify admin's "Export orders" CSV: one row per line item, the order's own columns
 * on its first row only, rows of one order adjacent and sharing `Name`. The export has no
 * customer id, so customers are keyed by lower-cased `Email`; an order without email is a
 * guest. Value = `Total` − `Refunded Amount`; a non-empty `Cancelled at` cancels it; a
 * `bogus` payment method (Shopify's test gateway) marks a test order. The export carries no
 * product type, so the top category stays unknown.
 */
export async function readShopifyCsv(path: string, onOrder: OrderSink, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const skipped = new SkipLog(options.onReject);
  let columns: Map<string, number> | undefined;
  let rows = 0;
  let orders = 0;
  let pending: PendingOrder | undefined;
  let pendingName: string | undefined;

  const flush = () => {
    if (!pending) return;
    const order = toOrder(pending, options, skipped);
    if (order) {
      orders++;
      onOrder(order);
    }
    pending = undefined;
  };

  await readCsvRecords(path, (fields, line) => {
    if (!columns) {
      columns = headerIndex(fields);
      const missing = REQUIRED.filter((name) => !columns!.has(name));
      if (missing.length) throw new UserError(`${path}: not a Shopify orders export, missing required column${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} in the header`);
      return;
    }
    rows++;
    const index = columns;
    const get = (name: string) => {
      const at = index.get(name);
      return at === undefined ? undefined : fields[at]?.trim();
    };
    const name = get('name') ?? '';
    if (!name) {
      skipped.add(line, 'Name is empty', 'Name is empty', csvRow(fields).slice(0, -1));
      return;
    }
    if (name !== pendingName) {
      flush();
      pending = { line, raw: csvRow(fields).slice(0, -1), get, lines: [] };
      pendingName = name;
    }
    const quantity = Number(get('lineitem quantity') || '0');
    if (Number.isInteger(quantity) && quantity > 0) pending!.lines.push({ productType: '', quantity });
  });
  flush();
  return skipped.summary('shopify-csv', rows, orders);
}

function toOrder({ line, raw, get, lines }: PendingOrder, options: ReadOrdersOptions, skipped: SkipLog): Order | null {
  const skip = (kind: string, reason: string) => skipped.skip(line, kind, reason, raw);
  const createdText = get('created at') ?? '';
  const processedAt = parseTimestamp(createdText);
  if (processedAt === null) return skip('Created at is not a date', `Created at "${createdText}" ${explainBadTimestamp(createdText)}`);
  const currency = get('currency') || options.currency || 'USD';
  const totalText = get('total') ?? '';
  const total = parseMoneyToMinorUnits(totalText, currency);
  if (total === null) return skip('Total is not an amount', `Total "${totalText}" is not an amount (is this the first row of order ${get('name')}?)`);
  const refundedText = get('refunded amount') || '0';
  const refunded = parseMoneyToMinorUnits(refundedText, currency);
  if (refunded === null) return skip('Refunded Amount is not an amount', `Refunded Amount "${refundedText}" is not an amount`);
  const email = cleanEmail(get('email'));
  return {
    id: get('id') || get('name')!,
    customerId: email ? email.toLowerCase() : null,
    email,
    processedAt,
    totalCents: Math.max(0, total - refunded),
    currency,
    cancelled: Boolean(get('cancelled at')),
    // The export has no test flag; Shopify's test gateway shows as "bogus" in Payment Method.
    test: /\bbogus\b/i.test(get('payment method') ?? ''),
    lines,
  };
}
