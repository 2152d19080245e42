import { parseMoneyToMinorUnits } from '../core/money.ts';
import type { Order } from '../core/order.ts';
import { UserError } from '../errors.ts';
import { headerIndex, readCsvRecords } from './csv-records.ts';
import { csvRow } from '../util/csv-row.ts';
import { explainBadTimestamp, parseFlag, parseTimestamp } from './parse-fields.ts';
import { SkipLog, type OrderSink, type ReadOrdersOptions, type ReadOrdersSummary } from './types.ts';

const REQUIRED = ['customer_id', 'processed_at', 'total'] as const;
const OPTIONAL = ['order_id', 'email', 'currency', 'cancelled', 'test', 'product_type', 'quantity'] as const;
export type Column = (typeof REQUIRED)[number] | (typeof OPTIONAL)[number];

/**
 * Reads tiersync's plain orders CSV: one row per order with at least `customer_id`,
 * `processed_at`, `total` (optional `order_id`, `email`, `currency`, `cancelled`, `test`,
 * `product_type`, `quantity`). An empty `customer_id` is a guest order. `total` is the
 * current total (after refunds) in major units.
 */
export async function readPlainCsv(path: string, onOrder: OrderSink, options: ReadOrdersOptions = {}): Promise<ReadOrdersSummary> {
  const skipped = new SkipLog(options.onReject);
  let columns: Record<Column, number> | undefined;
  let rows = 0;
  let orders = 0;
  await readCsvRecords(path, (fields, line) => {
    if (!columns) {
      columns = resolveColumns(headerIndex(fields), path);
      return;
    }
    rows++;
    const order = toOrder(fields, columns, line, options, skipped);
    if (order) {
      orders++;
      onOrder(order);
    }
  });
  return skipped.summary('plain-csv', rows, orders);
}

export function resolveColumns(header: Map<string, number>, path: string): Record<Column, number> {
  const missing = REQUIRED.filter((name) => !header.has(name));
  if (missing.length) {
    const columns = missing.length === 1 ? `required column ${missing[0]}` : `required columns ${missing.join(', ')}`;
    throw new UserError(`${path}: missing ${columns} in the header (a plain orders CSV needs customer_id, processed_at, total)`);
  }
  return Object.fromEntries([...REQUIRED, ...OPTIONAL].map((name) => [name, header.get(name) ?? -1])) as Record<Column, number>;
}

/** The trimmed value of a column, '' when the file has no such column. Hot path: no closures. */
function field(fields: readonly string[], index: number): string {
  return index < 0 ? '' : (fields[index] ?? '').trim();
}

export function toOrder(fields: readonly string[], columns: Record<Column, number>, line: number, options: ReadOrdersOptions, skipped: SkipLog): Order | null {
  const reject = (kind: string, reason: string) => skipped.skip(line, kind, reason, csvRow(fields).slice(0, -1));
  const processedText = field(fields, columns.processed_at);
  const processedAt = parseTimestamp(processedText);
  if (processedAt === null) return reject('processed_at is not a date', `processed_at "${processedText}" ${explainBadTimestamp(processedText)}`);
  const currency = field(fields, columns.currency) || options.currency || 'USD';
  const totalText = field(fields, columns.total);
  const totalCents = parseMoneyToMinorUnits(totalText, currency);
  if (totalCents === null) return reject('total is not an amount', `total "${totalText}" is not an amount`);
  if (totalCents < 0) return reject('total is negative', `total "${totalText}" is negative`);
  const cancelled = parseFlag(field(fields, columns.cancelled));
  const test = parseFlag(field(fields, columns.test));
  if (cancelled === null || test === null) return reject('cancelled/test is not true or false', 'cancelled/test must be true or false');
  const quantityText = field(fields, columns.quantity);
  const quantity = quantityText ? Number(quantityText) : 1;
  if (!Number.isInteger(quantity) || quantity < 0) return reject('quantity is not a whole number', `quantity "${quantityText}" is not a whole number`);
  const productType = field(fields, columns.product_type);
  return {
    id: field(fields, columns.order_id) || `line-${line}`,
    customerId: field(fields, columns.customer_id) || null,
    email: field(fields, columns.email) || null,
    processedAt,
    totalCents,
    currency,
    cancelled,
    test,
    lines: productType ? [{ productType, quantity }] : [],
  };
}
